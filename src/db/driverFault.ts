/**
 * postgres.js 3.4.9 has a defect (porsager/postgres#1208, #1154; fix proposed in PR #1209, not
 * released): once a connection's socket has closed, a later write on it (`nextWrite`) dereferences
 * the null socket. It is thrown from a socket or timer callback, so no query's promise sees it: it
 * escapes as an uncaught exception. It happens when PostgreSQL goes away (restart, network), i.e.
 * exactly when the device lock's session has died too. This recognises it, so that the process can
 * treat it as what it is — a lost database connection — and exit in order instead of crashing.
 */
export function isClosedSocketWrite(err: unknown): boolean {
  if (!(err instanceof TypeError)) return false;
  const stack = err.stack ?? "";
  return (
    /Cannot read properties of null \(reading 'write'\)/.test(err.message) &&
    /nextWrite/.test(stack) &&
    /[\\/]postgres[\\/]src[\\/]connection\.js/.test(stack)
  );
}
