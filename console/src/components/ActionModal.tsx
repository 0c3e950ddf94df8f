// A dialog that makes one change: its fields, a confirm button, and the API's error (message and
// hint) shown inside it, where the user acted. Closes when the change was accepted.
import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiErrorAlert } from './ApiErrorAlert';

export interface ActionModalProps {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  danger?: boolean;
  disabled?: boolean;
  children?: ReactNode;
}

export function ActionModal(p: ActionModalProps) {
  return (
    <Modal opened={p.opened} onClose={p.onClose} title={p.title} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          p.onSubmit();
        }}
      >
        <Stack>
          {p.children}
          <ApiErrorAlert error={p.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={p.onClose}>
              Close
            </Button>
            <Button
              type="submit"
              color={p.danger ? 'red' : undefined}
              loading={p.pending}
              disabled={p.disabled}
            >
              {p.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
