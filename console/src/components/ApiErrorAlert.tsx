// An API error shown where the user acted: the API's message, its hint, and the request id.
import { Alert, Text } from '@mantine/core';
import { ApiError } from '../api/client';

export function ApiErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const message = e?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <Alert color="red" title={title ?? (e ? `${e.code}` : 'Error')} role="alert" variant="light">
      <Text size="sm">{message}</Text>
      {e?.hint && (
        <Text size="sm" mt={4} fw={500}>
          {e.hint}
        </Text>
      )}
    </Alert>
  );
}
