// A person's script after "tessera auth login" and "tessera teams set": no key, host or team in it or in its
// environment. It makes an API key in the account it acts for and prints who it acted as, as JSON.
//
//   node zero-setup-script.js <the built SDK> <key name>
//
// (A script outside this repository imports '@tessera/client'; the test names the built file instead.)
const { createTesseraClient } = require(process.argv[2]);

async function main() {
  const tessera = await createTesseraClient();
  const principal = await tessera.principal();
  const { key } = await tessera.createKey(await tessera.accountId(), { name: process.argv[3], scope: 'API' });
  console.log(JSON.stringify({ principal, key: { id: key.id, name: key.name, accountId: key.accountId } }));
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
