// A dialog that makes one change: its fields, a confirm button, and the API's error (message and
// hint) shown inside it, where the user acted. Closes when the change was accepted.
import { Button, Group, Modal, Stack } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
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

/**
 * Mantine gives the focus back when a modal closes, but most of these dialogs are unmounted as
 * they close (no close transition runs): remember what had the focus when the dialog opened
 * (read while rendering, before the dialog takes the focus) and give it back when it goes.
 */
function useFocusReturn(opened: boolean) {
  const opener = useRef<Element | null>(null);
  const wasOpen = useRef(false);
  if (opened && !wasOpen.current) opener.current = document.activeElement;
  wasOpen.current = opened;
  useEffect(() => {
    if (!opened) return;
    return () => {
      const el = opener.current;
      setTimeout(() => {
        if (el instanceof HTMLElement && el.isConnected) el.focus();
      }, 0);
    };
  }, [opened]);
}

export function ActionModal(p: ActionModalProps) {
  useFocusReturn(p.opened);
  return (
    <Modal
      opened={p.opened}
      onClose={p.onClose}
      title={p.title}
      size="lg"
      // Mantine's × has no text of its own: without a name a screen reader says only "button".
      closeButtonProps={{ 'aria-label': `Close ${p.title}` }}
    >
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
