// The shape of one entry in the error registry (src/domain/errors.ts).
export interface ErrorSpec {
  status: number;
  message: string;
  hint?: string;
}
