// check.mjs — drives the Dataverse emulator with dynamics-web-api, a widely
// used third-party Web API client (its default keep-alive agent), and
// checks what Microsoft documents for each call. Prints one line per check
// and exits 1 when any deviates.
//
// Usage: node check.mjs /path/to/campaign-connector-sandbox

import { spawn } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import { DynamicsWebApi } from "dynamics-web-api";

const exe = process.argv[2];
if (!exe) {
  console.error("usage: node check.mjs /path/to/campaign-connector-sandbox");
  process.exit(2);
}

const children = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGTERM")));

// ---- the sandbox ---------------------------------------------------------

async function startSandbox(flags) {
  const child = spawn(exe, ["--dataverse-port", "0", "--campaign-port", "0", "--contacts", "40", ...flags],
                      { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const [service, url] = line.split(" ");
    if (service === "dataverse")
      return url;
  }
  throw new Error(`the sandbox did not start with ${flags.join(" ") || "its defaults"}`);
}

async function tokenFor(url) {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: "sandbox-client",
                                     client_secret: "sandbox-secret", scope: `${url}/.default` });
  const answer = await fetch(`${url}/sandbox-tenant/oauth2/v2.0/token`, { method: "POST", body: form });
  return (await answer.json()).access_token;
}

async function clientFor(url) {
  const token = await tokenFor(url);
  return { token, api: new DynamicsWebApi({ serverUrl: url, dataApi: { version: "9.2" },
                                            onTokenRefresh: async () => token }) };
}

// ---- checks --------------------------------------------------------------

const results = [];

async function check(name, body) {
  try {
    await body();
    results.push([name, null]);
    console.log(`ok      ${name}`);
  } catch (error) {
    results.push([name, error]);
    console.log(`DEVIATES ${name}: ${error.message}`);
  }
}

function expect(condition, what) {
  if (!condition)
    throw new Error(what);
}

async function expectError(promise, status, code) {
  try {
    await promise;
  } catch (error) {
    expect(error.status === status, `answered ${error.status} (${error.message}), expected ${status}`);
    if (code)
      expect(error.code === code, `error code ${error.code}, expected ${code}`);
    return error;
  }
  throw new Error(`succeeded, expected ${status}${code ? " " + code : ""}`);
}

async function firstContact(api) {
  const page = await api.retrieveMultiple({ collection: "contacts", select: ["contactid"], maxPageSize: 1 });
  return page.value[0].contactid;
}

// One raw socket: PATCH answered 204, then a GET on the same connection.
function rawKeepAlive(url, token, id) {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ firstname: "Kept" });
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = "";
    let step = 0;
    socket.setTimeout(10000, () => { socket.destroy(); reject(new Error("no answer within 10 s")); });
    socket.on("error", reject);
    socket.on("close", () => { if (step < 2) reject(new Error("the connection closed after the 204")); });
    socket.on("data", (chunk) => {
      received += chunk.toString();
      if (step === 0 && received.includes("\r\n\r\n")) {
        expect(received.startsWith("HTTP/1.1 204"), `PATCH answered ${received.split("\r\n")[0]}`);
        step = 1;
        received = "";
        socket.write(`GET /api/data/v9.2/contacts(${id})?$select=firstname HTTP/1.1\r\nHost: x\r\n` +
                     `Authorization: Bearer ${token}\r\n\r\n`);
      } else if (step === 1 && received.includes("\r\n\r\n")) {
        step = 2;
        socket.end();
        resolve(received.split("\r\n")[0]);
      }
    });
    socket.write(`PATCH /api/data/v9.2/contacts(${id}) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
                 `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
}

async function main() {
  const url = await startSandbox([]);
  const { api, token } = await clientFor(url);
  const contact = await firstContact(api);

  await check("keep-alive: 80 alternating updates and reads on the client's agent", async () => {
    let failures = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await api.update({ collection: "contacts", key: contact, data: { firstname: `Round ${i}` } });
        await api.retrieve({ collection: "contacts", key: contact, select: ["firstname"] });
      } catch (error) {
        failures++;
      }
    }
    expect(failures === 0, `${failures} of 40 rounds failed`);
  });

  await check("keep-alive: a GET on the socket that carried a 204", async () => {
    const status = await rawKeepAlive(url, token, contact);
    expect(status === "HTTP/1.1 200 OK", `the GET answered ${status}`);
  });

  await check("fetchXml is refused as not implemented, never answered with the table", async () => {
    await expectError(api.fetch({ collection: "contacts",
                                  fetchXml: "<fetch><entity name='contact'><attribute name='fullname'/></entity></fetch>" }),
                      501);
    await expectError(api.fetch({ collection: "contacts", fetchXml: "not xml" }), 501);
  });

  await check("savedQuery and userQuery are refused as not implemented", async () => {
    const view = "00000000-0000-0000-00aa-000010001001";
    await expectError(api.retrieveMultiple({ collection: "contacts", queryParams: [`savedQuery=${view}`] }), 501);
    await expectError(api.retrieveMultiple({ collection: "contacts", queryParams: [`userQuery=${view}`] }), 501);
  });

  await check("$expand of a lookup with $select inside", async () => {
    await api.upsert({ collection: "new_emailsends", key: "new_campaigneventid='fidelity-1'",
                       data: { subject: "Sent",
                               "regardingobjectid_contact_new_emailsend@odata.bind": `/contacts(${contact})` } });
    const page = await api.retrieveMultiple({
      collection: "new_emailsends", select: ["subject"],
      expand: [{ property: "regardingobjectid_contact_new_emailsend", select: ["fullname"] }] });
    const related = page.value[0].regardingobjectid_contact_new_emailsend;
    expect(related && related.contactid === contact, "the expanded contact is missing");
    expect("fullname" in related && !("emailaddress1" in related), "$select inside $expand was not applied");
  });

  await check("single-property PUT and DELETE", async () => {
    await api.updateSingleProperty({ collection: "contacts", key: contact, fieldValuePair: { lastname: "Nguyen" } });
    await api.deleteRecord({ collection: "contacts", key: contact, fieldName: "telephone1" });
    const row = await api.retrieve({ collection: "contacts", key: contact, select: ["lastname", "telephone1"] });
    expect(row.lastname === "Nguyen", `lastname is ${row.lastname}`);
    expect(row.telephone1 === null, `telephone1 is ${row.telephone1}`);
  });

  await check("EntityDefinitions $expand=Keys", async () => {
    const entity = await api.retrieveEntity({ key: "LogicalName='new_emailsend'", select: ["LogicalName"],
                                              expand: [{ property: "Keys" }] });
    expect(entity.Keys && entity.Keys.length === 1, "no alternate key");
    expect(entity.Keys[0].KeyAttributes[0] === "new_campaigneventid", "the key's columns are wrong");
  });

  await check("enumeration literals in metadata filters", async () => {
    const attrs = await api.retrieveAttributes({ entityKey: "LogicalName='contact'", select: ["LogicalName"],
                                                 filter: "AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Boolean'" });
    const names = attrs.value.map((a) => a.LogicalName).sort();
    expect(names.join() === "donotbulkemail,donotemail", `got ${names.join()}`);
  });

  await check("RequiredLevel of lastname is ApplicationRequired", async () => {
    const attrs = await api.retrieveAttributes({ entityKey: "LogicalName='contact'",
                                                 select: ["LogicalName", "RequiredLevel"],
                                                 filter: "LogicalName eq 'lastname'" });
    expect(attrs.value[0].RequiredLevel.Value === "ApplicationRequired",
           `it is ${attrs.value[0].RequiredLevel.Value}`);
  });

  await check("EntityDefinitions without $select has the documented properties", async () => {
    const entity = await api.retrieveEntity({ key: "LogicalName='contact'" });
    const count = Object.keys(entity).filter((k) => !k.startsWith("@") && !k.startsWith("oData")).length;
    expect(count >= 100, `only ${count} properties`);
    for (const name of ["IsAuditEnabled", "Privileges", "IsOptimisticConcurrencyEnabled", "DisplayCollectionName"])
      expect(name in entity, `${name} is missing`);
  });

  await check("a forged change token from 2020 is refused as expired", async () => {
    const first = await api.retrieveMultiple({ collection: "contacts", select: ["fullname"], trackChanges: true });
    const link = first.oDataDeltaLink || first["@odata.deltaLink"];
    expect(link, "no deltaLink");
    const forged = link.replace(/\$deltatoken=[^&]*/, `$deltatoken=${encodeURIComponent("1!01/01/2020 00:00:00")}`);
    await expectError(api.retrieveMultiple({ collection: "contacts" }, forged), 400, "0x80044352");
  });

  const limited = await startSandbox(["--max-requests", "5", "--window", "60"]);
  const { api: throttled } = await clientFor(limited);

  await check("a $batch is one request against the request-count limit (as documented)", async () => {
    const id = await firstContact(throttled);
    throttled.startBatch();
    for (let i = 0; i < 60; i++)
      throttled.retrieve({ collection: "contacts", key: id, select: ["fullname"] });
    const answers = await throttled.executeBatch();
    expect(answers.length === 60, `${answers.length} answers`);
    for (let i = 0; i < 3; i++)
      await throttled.retrieve({ collection: "contacts", key: id, select: ["fullname"] });
    await expectError(throttled.retrieve({ collection: "contacts", key: id }), 429, "0x80072322");
  });

  await check("Retry-After grows while a throttled client keeps sending", async () => {
    let previous = 0;
    for (let i = 0; i < 4; i++) {
      const error = await expectError(throttled.retrieveMultiple({ collection: "contacts", maxPageSize: 1 }), 429);
      const wait = Number(error.headers["retry-after"]);
      expect(wait > previous, `Retry-After ${wait} after ${previous}`);
      previous = wait;
    }
  });

  await check("a batch's operations count against the execution-time limit", async () => {
    const quick = await startSandbox(["--max-execution-ms", "1", "--window", "60"]);
    const { api: busy } = await clientFor(quick);

    busy.startBatch();
    for (let i = 0; i < 1000; i++)
      busy.retrieveMultiple({ collection: "contacts", select: ["fullname"], maxPageSize: 5 });
    await busy.executeBatch();
    await expectError(busy.retrieveMultiple({ collection: "contacts", maxPageSize: 1 }), 429, "0x80072321");
  });

  const deviations = results.filter(([, error]) => error !== null);
  console.log(`${results.length - deviations.length} of ${results.length} checks as documented`);
  process.exit(deviations.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`check.mjs: ${error.stack || error}`);
  process.exit(2);
});
