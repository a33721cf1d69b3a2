// A real OpenID Connect provider (npm oidc-provider) for BeaconSSH's tests. Test use only: loopback,
// in-memory storage, development interactions (any password), generated keys.
//   node server.mjs PORT
// Prints "ready ISSUER" on stdout once listening.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const issuer = `http://127.0.0.1:${port}`;

// Accounts the development login accepts (any password); unknown logins get no groups.
const groups = {
  alice: ['developers'],
  bob: ['ops', 'developers'],
  mallory: [],
};

// The signing key: a private JWK file given by the tests (so they can also sign deliberately bad tokens
// with the real key: expired, another audience), or a fresh one.
const keyFile = process.env.OIDC_SIGNING_JWK;
const signingKey = keyFile
  ? JSON.parse(fs.readFileSync(keyFile, 'utf8'))
  : { ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'beacon-test-rs256', use: 'sig', alg: 'RS256' };

// The API resource: access tokens for it are RS256 JWTs with audience "beacon-api".
export const apiResource = 'urn:beacon:api';

const provider = new Provider(issuer, {
  clients: [
    {
      // The CLI and the web portal: a public client (device flow, authorization code with PKCE).
      client_id: 'beacon-cli',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    {
      // beacon-web: a confidential client, authorization code with PKCE. Its redirect URIs come from
      // BEACON_WEB_REDIRECT_URIS (comma-separated, the tests set the port they chose).
      client_id: 'beacon-web',
      client_secret: 'beacon-web-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: (process.env.BEACON_WEB_REDIRECT_URIS ?? 'http://127.0.0.1:8080/signin-oidc').split(',').map((u) => u.trim()).filter(Boolean),
      post_logout_redirect_uris: (process.env.BEACON_WEB_POST_LOGOUT_URIS ?? 'http://127.0.0.1:8080/signed-out').split(',').map((u) => u.trim()).filter(Boolean),
    },
    {
      // The certificate server: introspection, and client credentials for machine tokens.
      client_id: 'beacon-server',
      client_secret: 'beacon-server-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: [signingKey] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email: `${id}@example.test`, groups: groups[id] ?? [] };
      },
    };
  },
  claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'email', 'groups', 'offline_access', 'api'],
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource) => {
        if (resource !== apiResource) throw new errors.InvalidTarget();
        return { scope: 'api', audience: 'beacon-api', accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  // JWT access tokens carry who the user is, so the server can validate them locally.
  async extraTokenClaims(ctx, token) {
    if (!token.accountId) return undefined;
    return { preferred_username: token.accountId, email: `${token.accountId}@example.test`, groups: groups[token.accountId] ?? [] };
  },
  ttl: { AccessToken: 300, ClientCredentials: 300, DeviceCode: 300, Grant: 3600, IdToken: 300, Interaction: 600, Session: 3600, RefreshToken: 3600 },
  pkce: { required: (ctx, client) => client.tokenEndpointAuthMethod === 'none' && ctx.oidc.route === 'authorization' },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
