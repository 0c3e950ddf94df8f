// Hosts (initiators): IQNs, addresses and CHAP. Secrets are validated, sealed at rest and never
// returned. A change to a mapped host re-applies the exports and targets that map it.
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { checkAddresses, checkChap, checkIqns } from '../../domain/exports.js';
import type { ChapInput, Host, HostCreate, HostInitiator, HostUpdate } from '../../domain/hosts.js';
import { isValidName } from '../../domain/names.js';
import type { HostStore, SealedChap } from '../../store/hosts.js';
import type { SecretBox } from './secrets.js';

export interface HostHooks {
  /** Export ids that map the host. */
  mappedBy(hostId: string): Promise<string[]>;
  changed(hostId: string): Promise<void>;
  /** Refuses addresses an export mapping the host cannot be limited to, before anything changes. */
  admitsAddresses(hostId: string, addresses: readonly string[]): Promise<void>;
  /** Removes the exports that map the host and takes it out of targets (cascade), waiting for their jobs. */
  removeExports(ids: string[], hostId: string): Promise<void>;
}

export class HostService {
  constructor(
    private readonly store: HostStore,
    private readonly box: SecretBox,
    private readonly hooks: HostHooks,
  ) {}

  get(id: string): Promise<Host> {
    return this.store.get(id);
  }
  list(params: ListParams): Promise<Page<Host>> {
    return this.store.list(params);
  }
  /** One initiator (an IQN of a host) by its id. */
  async initiator(id: string): Promise<HostInitiator & { host_id: string }> {
    const i = await this.store.initiator(id);
    if (!i) throw new CairnError('INITIATOR_NOT_FOUND', { id });
    return i;
  }

  private async check(input: HostUpdate, selfId: string | null): Promise<void> {
    const problems: FieldProblem[] = [];
    if (input.name !== undefined && !isValidName(input.name))
      problems.push({ field: 'name', code: 'PATTERN', message: 'letters, digits, . _ -; up to 64' });
    if (input.iqns) checkIqns(input.iqns, 'iqns', problems);
    if (input.addresses) checkAddresses(input.addresses, 'addresses', problems);
    if (input.chap) checkChap(input.chap, 'chap', problems);
    CairnError.assertNoProblems(problems);
    if (input.name !== undefined) {
      const other = await this.store.byName(input.name);
      if (other && other.id !== selfId) throw new CairnError('HOST_NAME_TAKEN', { name: input.name });
    }
    // An IQN may belong to several hosts (one initiator in several auth groups, as NGX has it);
    // within one host it is listed once (DUPLICATE above).
    for (const user of [input.chap?.user, input.chap?.mutual_user]) {
      if (!user) continue;
      const other = await this.store.byChapUser(user);
      if (other && other.id !== selfId) throw new CairnError('CHAP_USER_TAKEN', { user, host: other.id });
    }
  }

  private seal(c: ChapInput): SealedChap {
    return {
      user: c.user,
      secret: this.box.seal(c.secret),
      mutualUser: c.mutual_user ?? null,
      mutualSecret: c.mutual_secret !== undefined ? this.box.seal(c.mutual_secret) : null,
    };
  }

  async create(input: HostCreate): Promise<Host> {
    await this.check(input, null);
    const id = newId();
    await this.store.insert({
      id,
      name: input.name,
      iqns: input.iqns ?? [],
      addresses: input.addresses ?? [],
      chap: input.chap ? this.seal(input.chap) : null,
    });
    return this.store.get(id);
  }

  async update(id: string, input: HostUpdate): Promise<Host> {
    await this.store.get(id);
    await this.check(input, id);
    if (input.addresses !== undefined) await this.hooks.admitsAddresses(id, input.addresses);
    await this.store.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.iqns !== undefined ? { iqns: input.iqns } : {}),
      ...(input.addresses !== undefined ? { addresses: input.addresses } : {}),
      ...(input.chap !== undefined ? { chap: input.chap ? this.seal(input.chap) : null } : {}),
    });
    await this.hooks.changed(id);
    return this.store.get(id);
  }

  async delete(id: string, cascade: boolean): Promise<void> {
    await this.store.get(id);
    const mapped = await this.hooks.mappedBy(id);
    if (mapped.length && !cascade) throw new CairnError('HOST_IN_USE', { id, exports: mapped.join(', ') });
    if (mapped.length) await this.hooks.removeExports(mapped, id);
    await this.store.delete(id);
  }
}
