// Small key/value settings (system name, time zone, limits), JSON encoded.
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export class SettingsStore {
  constructor(private readonly db: Kysely<DB>) {}

  async get<T>(key: string, fallback: T): Promise<T> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.value) as T) : fallback;
  }

  async set(key: string, value: unknown): Promise<void> {
    const v = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: v })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v }))
      .execute();
  }
}
