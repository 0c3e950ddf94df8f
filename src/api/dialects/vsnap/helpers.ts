// What the vSnap route modules share (their own module, so the route modules do not import each other for it).
import { Type } from '@sinclair/typebox';

export const DIALECT = 'vsnap';
export const cfg = (permission: string) => ({ permission, dialect: DIALECT });
export const IdParam = Type.Object(
  { id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'vSnap numeric id' }) },
  { additionalProperties: false },
);
