// The browser session cookie's name (its own module: the server and the auth routes both need it).
export const SESSION_COOKIE = 'cairn_session';
