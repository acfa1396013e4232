import { SamlIdpStandIn, SamlStandInUser, freePort } from '@tessera/testing';
import { Server, createServer } from 'node:http';

/**
 * The samlify IdP stand-in as a browser meets an IdP: a site on loopback (plain http is allowed there) whose
 * sign-on URL answers an AuthnRequest for the person "signed in at the IdP" with a page that posts the signed
 * response to the service provider's ACS, as Okta, Entra ID and Google Workspace do (HTTP-POST binding).
 */
export class SamlIdpSite {
  /** Who the IdP says is signed in; set before each sign-in. */
  user: SamlStandInUser | undefined;

  private constructor(
    readonly idp: SamlIdpStandIn,
    private readonly server: Server,
  ) {}

  static async start(): Promise<SamlIdpSite> {
    const port = await freePort();
    const idp = await SamlIdpStandIn.start({ entityId: `http://127.0.0.1:${port}` });
    const site: SamlIdpSite = new SamlIdpSite(
      idp,
      createServer((request, response) => {
        site
          .answer(new URL(request.url ?? '/', idp.entityId).toString())
          .then((html) => response.writeHead(200, { 'content-type': 'text/html' }).end(html))
          .catch((error: Error) =>
            response.writeHead(400, { 'content-type': 'text/plain' }).end(error.message),
          );
      }),
    );
    await new Promise<void>((resolve) => site.server.listen(port, '127.0.0.1', resolve));
    return site;
  }

  private async answer(url: string): Promise<string> {
    if (!this.user) throw new Error('nobody is signed in at the IdP');
    const samlResponse = await this.idp.respond(url, this.user);
    // The response names where it goes; the IdP posts it there.
    const destination = /Destination="([^"]+)"/.exec(
      Buffer.from(samlResponse, 'base64').toString('utf8'),
    )?.[1];
    if (!destination) throw new Error('the response has no Destination');
    return `<!doctype html><html lang="en"><head><title>Signing in</title></head><body>
      <form method="post" action="${destination}"><input type="hidden" name="SAMLResponse" value="${samlResponse}">
      <noscript><button type="submit">Continue</button></noscript></form>
      <script>document.forms[0].submit()</script></body></html>`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}
