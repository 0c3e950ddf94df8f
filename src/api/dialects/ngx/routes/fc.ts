// Fibre Channel (NGX's FC targets beside its iSCSI ones): Cairn has no FC ports. Its lists are
// empty and its writes are refused with a clear error (PROTOCOL_UNSUPPORTED).
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import { cfg, typed, type Ngx } from '../helpers.js';

export async function fcRoutes(app: FastifyInstance, _ngx: Ngx): Promise<void> {
  const t = typed(app);
  const fcLists = ['/fc_target', '/fc_target/list', '/target/fc', '/target/fc/list'];
  for (const path of fcLists)
    t.get(
      path,
      { config: cfg('export.read'), schema: { summary: 'Fibre Channel targets (none)' } },
      async () => [],
    );
  const refuse = async () => {
    throw new CairnError('PROTOCOL_UNSUPPORTED', { protocol: 'Fibre Channel' });
  };
  for (const path of ['/fc_target', '/target/fc']) {
    t.post(
      path,
      { config: cfg('export.write'), schema: { summary: 'Fibre Channel (not supported)' } },
      refuse,
    );
    t.route({
      method: ['PUT', 'PATCH', 'DELETE'],
      url: `${path}/*`,
      config: cfg('export.write'),
      // Any FC object path: a wildcard OpenAPI cannot express, so not in the document.
      schema: { summary: 'Fibre Channel (not supported)', hide: true },
      handler: refuse,
    });
  }
}
