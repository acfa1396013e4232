#!/usr/bin/env node
// Asks Tessera's policy decision point whether a credential may do an action, the way an internal service
// would before serving a request: one NATS request to `tessera.authz.check`, plain JSON both ways.
//
//   NATS_URL=nats://127.0.0.1:4222 node examples/authz-check.mjs "Key tsk_…" models.call [account-id]
//
// An installation with TESSERA_NATS_PREFIX set answers `<prefix>.authz.check`: give this script the same
// TESSERA_NATS_PREFIX.
//
// On a NATS that runs Tessera's deploy/nats/nats.conf, log in as the internal callers' user: NATS_USER=internal
// NATS_PASSWORD=… (replies then come on that user's own inbox prefix, the only one it may read).
//
// Prints the decision and exits 0 when allowed, 1 when denied, 2 when no decision could be made.
import { connect, JSONCodec } from 'nats';

const [authorization, action, account] = process.argv.slice(2);
if (!authorization || !action) {
  console.error('usage: node examples/authz-check.mjs "<Authorization header>" <action> [account id]');
  process.exit(2);
}

const codec = JSONCodec();
const subject = `${process.env.TESSERA_NATS_PREFIX || 'tessera'}.authz.check`;
const user = process.env.NATS_USER;
const nc = await connect({
  servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  ...(user ? { user, pass: process.env.NATS_PASSWORD, inboxPrefix: `_INBOX_${user}` } : {}),
});
try {
  const request = { authorization, action, ...(account ? { account } : {}), record: true };
  const reply = codec.decode((await nc.request(subject, codec.encode(request), { timeout: 2000 })).data);
  console.log(JSON.stringify(reply, null, 2));
  // `{ error }` instead of a decision means Tessera could not decide (a service it needs is down): fail closed.
  process.exitCode = reply.error ? 2 : reply.allow ? 0 : 1;
} catch (error) {
  console.error(`no decision: ${error.message}`);
  process.exitCode = 2;
} finally {
  await nc.close();
}
