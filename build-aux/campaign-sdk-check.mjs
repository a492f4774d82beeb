// campaign-sdk-check.mjs — drives Adobe's own Node SDK for Campaign
// Standard (@adobe/aio-lib-campaign-standard) against the sandbox's
// Campaign emulator, and checks every answer as Adobe documents it.
//
// Run by build-aux/campaign-sdk-check, which installs the SDK; not part
// of the test suite (it needs the npm registry).
//
//   node campaign-sdk-check.mjs SANDBOX_BINARY SDK_DIR

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const [sandboxBinary, sdkDir] = process.argv.slice(2);
const require = createRequire(`${sdkDir}/package.json`);
const CampaignStandard = require('@adobe/aio-lib-campaign-standard');

const ORG = 'sandbox-org';
const API_KEY = 'sandbox-api-key';
const SECRET = 'sandbox-secret';

/* Starts the sandbox on free ports; resolves with its Campaign URL. */
function startSandbox () {
  const child = spawn(sandboxBinary, ['--dataverse-port', '0', '--campaign-port', '0',
                                      '--contacts', '20'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });

  return new Promise((resolve, reject) => {
    child.on('exit', code => reject(new Error(`the sandbox exited (${code})`)));
    lines.on('line', line => {
      const [service, url] = line.split(' ');
      if (service === 'campaign')
        resolve({ child, url });
    });
  });
}

async function imsToken (base) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: API_KEY,
                                     client_secret: SECRET, scope: 'openid,AdobeID,campaign_sdk' });
  const answer = await fetch(`${base}/ims/token/v3`, { method: 'POST', body: form });

  assert.equal(answer.status, 200);
  return (await answer.json()).access_token;
}

/* What a client does with a next.href: GET it verbatim, with the same
 * headers the SDK sends. */
async function follow (href, token) {
  const answer = await fetch(href, { headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': API_KEY } });

  return { status: answer.status, body: await answer.json() };
}

/* The SDK wraps a refusal in an error whose message holds the status and
 * Campaign's answer. */
async function refused (promise, fragment) {
  await assert.rejects(promise, error => String(error.message ?? error).includes(fragment));
}

const checks = [];
function check (name, body) {
  checks.push({ name, body });
}

check('profiles: create, read, update, list, filters, metadata', async ({ sdk, token }) => {
  const created = (await sdk.createProfile({ email: 'anna.becker@example.com', firstName: 'Anna',
                                             lastName: 'Becker', externalId: 'c-anna' })).body;
  assert.match(created.PKey, /^@/);

  const got = (await sdk.getProfile(created.PKey)).body;
  assert.equal(got.lastName, 'Becker');

  const patched = (await sdk.updateProfile(created.PKey, { lastName: 'Schäfer' })).body;
  assert.deepEqual(Object.keys(patched).sort(), ['PKey', 'href']);
  assert.equal((await sdk.getProfile(created.PKey)).body.lastName, 'Schäfer');
  await refused(sdk.updateProfile(created.PKey, { created: '2020-01-01 00:00:00.000Z' }),
                'read-only');

  for (let i = 0; i < 4; i++)
    await sdk.createProfile({ email: `p${i}@example.com`, externalId: `c-${i}` });
  const first = (await sdk.getAllProfiles({ lineCount: 2, order: 'email' })).body;
  assert.equal(first.content.length, 2);
  assert.match(first.next.href, /_lineStart=@/);
  const seen = new Set(first.content.map(p => p.PKey));
  for (let href = first.next.href; href;) {
    const page = await follow(href, token);
    assert.equal(page.status, 200);
    page.body.content.forEach(p => seen.add(p.PKey));
    href = page.body.next?.href;
  }
  assert.equal(seen.size, 5);
  const madeUp = await follow(first.next.href.replace(/_lineStart=[^&]*/, '_lineStart=2'), token);
  assert.equal(madeUp.status, 400);

  const byEmail = (await sdk.getAllProfiles({ filters: ['byEmail'], email: 'p2@example.com' })).body;
  assert.deepEqual(byEmail.content.map(p => p.externalId), ['c-2']);
  const custom = (await sdk.getAllProfiles({ hasCustomFilter: true, filters: ['byExternalId'],
                                             externalId: 'c-anna' })).body;
  assert.deepEqual(custom.content.map(p => p.PKey), [created.PKey]);

  const meta = (await sdk.getMetadataForResource('profile')).body;
  assert.equal(meta.name, 'profile');
  assert.equal(meta.content.email.dataPolicy, 'email');
});

check('marketing history: the documented entry, nothing more', async ({ sdk, base, token }) => {
  const journal = await fetch(`${base}/events/journal?limit=100`,
                              { headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': API_KEY } });
  const send = (await journal.json()).events.map(e => e.event).find(e => e.type === 'send');
  const profile = (await sdk.createProfile({ externalId: send.externalId })).body;
  const history = (await sdk.getHistoryOfProfile(profile.PKey)).body;
  const events = await follow(history.events.href, token);

  assert.equal(events.status, 200);
  assert.ok(events.body.content.length > 0);
  for (const entry of events.body.content)
    assert.deepEqual(Object.keys(entry).sort(),
                     ['PKey', 'category', 'date', 'href', 'label', 'mirrorPage', 'type']);
});

check('custom resources linked to the profile', async ({ sdk }) => {
  const linked = (await sdk.getCustomResources()).body;
  assert.equal(linked.cusLoyalty.type, 'collection');

  const profile = (await sdk.createProfile({ externalId: 'c-loyal' })).body;
  const created = (await sdk.createCustomResource('cusLoyalty', {
    cusLoyaltyId: 'l-1', cusName: 'Gold – Zoë', profile: { PKey: profile.PKey } })).body;
  assert.equal(created.profile.PKey, profile.PKey);

  const listed = (await sdk.getAllProfileAndServicesExt('cusLoyalty', { lineCount: 10 })).body;
  assert.deepEqual(listed.content.map(r => r.cusLoyaltyId), ['l-1']);

  await sdk.updateCustomResource('cusLoyalty', created.PKey, { cusLevel: 'Silver' });
  const all = (await sdk.getAllProfileAndServicesExt('cusLoyalty', { filters: ['byCusLoyaltyId'],
                                                                    cusLoyaltyId: 'l-1' })).body;
  assert.equal(all.content[0].cusLevel, 'Silver');

  await sdk.deleteCustomResource('cusLoyalty', created.PKey);
  assert.equal((await sdk.getAllProfileAndServicesExt('cusLoyalty')).body.content.length, 0);

  /* Linked to the profile, it is not among the unlinked ones. */
  assert.equal((await sdk.getAllBasicCustomResources('cusMembership')).body.content.length, 0);
  await refused(sdk.getAllBasicCustomResources('cusLoyalty'), '404');
});

const { child, url } = await startSandbox();
let failed = 0;
try {
  const token = await imsToken(url);
  const sdk = await CampaignStandard.init(ORG, API_KEY, token);

  // The SDK's server is https://mc.adobe.io/{ORGANIZATION}/campaign: point
  // it at the emulator, as one would at a gateway.
  sdk.sdk.spec.servers = [{ url: `${url}/{ORGANIZATION}/campaign`,
                            variables: { ORGANIZATION: { default: ORG } } }];
  for (const { name, body } of checks) {
    try {
      await body({ sdk, base: url, token });
      console.log(`ok - ${name}`);
    } catch (error) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(error.stack ?? error).replaceAll('\n', '\n  ')}`);
    }
  }
} finally {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}
console.log(failed ? `${failed} of ${checks.length} failed` : `all ${checks.length} passed`);
process.exit(failed ? 1 : 0);
