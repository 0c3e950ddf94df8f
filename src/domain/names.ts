// Names people choose for objects. They are labels only: paths and command lines use ids.
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
const NAME_RE = new RegExp(NAME_PATTERN);
export const isValidName = (s: string): boolean => NAME_RE.test(s);
export const USER_NAME_PATTERN = '^[a-z_][a-z0-9_.-]{0,31}$';
