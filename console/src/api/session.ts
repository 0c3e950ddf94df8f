// The browser session: the CSRF token the login answered (kept for this tab in sessionStorage; the
// session cookie itself is httpOnly), and who is signed in. Listeners hear sign-in, sign-out and
// expiry, so an ended session brings back the sign-in page with a word of why, never a blank page.
const KEY = 'cairn.session';

export interface SessionInfo {
  csrf: string;
  user: string;
  role: string;
  expiresAt: string;
}

type Listener = (s: SessionInfo | null, reason: 'signed-in' | 'signed-out' | 'expired') => void;
const listeners = new Set<Listener>();

function read(): SessionInfo | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as SessionInfo) : null;
  } catch {
    return null;
  }
}

export const session = {
  current: read,
  csrf: () => read()?.csrf ?? null,
  start(s: SessionInfo) {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    for (const l of listeners) l(s, 'signed-in');
  },
  end(reason: 'signed-out' | 'expired') {
    const had = read() !== null;
    sessionStorage.removeItem(KEY);
    if (had || reason === 'signed-out') for (const l of listeners) l(null, reason);
  },
  expired() {
    session.end('expired');
  },
  listen(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
