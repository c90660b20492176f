import Ajv from "ajv";
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { ParamsError, parseSuiteParams } from "../../scripts/lib/deploy";
import { paramsSchemaJson } from "../../scripts/lib/deploy/params-schema";

const DIR = path.join(__dirname, "..", "..", "deploy", "params");
const SCHEMA_FILE = path.join(DIR, "schema.json");
const PARAMS_FILES = readdirSync(DIR)
  .filter((name) => name.endsWith(".json") && name !== "schema.json")
  .sort();
const context = {
  deployer: "0x0000000000000000000000000000000000000001",
  oracle: "0x0000000000000000000000000000000000000002",
  now: 1_000n,
};

/** A template's placeholders ("<guardian address>") filled with distinct addresses, as a person would. */
function filled(text: string): string {
  let n = 16;
  return text.replace(/"<[^">]+ address>"/g, () => `"0x${(n++).toString(16).padStart(40, "0")}"`);
}

/** Every schema node that describes a field: each property and each array's items. */
function fields(node: Record<string, unknown>, at: string, out: [string, Record<string, unknown>][]): void {
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    out.push([`${at}${key}`, child]);
    fields(child, `${at}${key}.`, out);
  }
  for (const branch of (node.oneOf ?? []) as Record<string, unknown>[]) fields(branch, at, out);
  if (typeof node.items === "object" && node.items !== null) {
    const items = node.items as Record<string, unknown>;
    out.push([`${at.slice(0, -1)}[]`, items]);
    fields(items, `${at.slice(0, -1)}[].`, out);
  }
}

describe("deploy/params/schema.json", function () {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Record<string, unknown>;

  it("is what npm run schema:params writes from PARAMS_SCHEMA", function () {
    expect(readFileSync(SCHEMA_FILE, "utf8")).to.equal(paramsSchemaJson());
  });

  it("describes every field, and is a standard draft-07 schema (none of the parser's own keywords)", function () {
    const all: [string, Record<string, unknown>][] = [];
    fields(schema, "", all);
    expect(all.length).to.be.greaterThan(50);
    for (const [name, node] of all) expect(node.description, name).to.be.a("string").and.not.equal("");
    const text = JSON.stringify(schema);
    for (const own of ["messages", "decimalMinimum", "decimalMaximum", "discriminator", "nullable"]) {
      expect(text, own).not.to.include(`"${own}"`);
    }
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).not.to.throw();
  });

  it("is the reference docs/deploy.md points to", function () {
    const docs = readFileSync(path.join(__dirname, "..", "..", "docs", "deploy.md"), "utf8");
    expect(docs).to.include("(../deploy/params/schema.json)");
    expect(docs).to.include("npm run schema:params");
  });

  it("holds every committed params file, each of which names it in $schema", function () {
    expect(PARAMS_FILES).to.deep.equal(["hardhat.json", "localhost.json", "testnet.json"]);
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    for (const name of PARAMS_FILES) {
      const text = readFileSync(path.join(DIR, name), "utf8");
      const json = JSON.parse(text) as { $schema?: string };
      expect(json.$schema, name).to.equal("./schema.json");
      // A standard validator, with the published file alone (testnet.json's placeholders are not addresses yet).
      expect(validate(JSON.parse(filled(text))), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
      // And the parser, with the rules the schema cannot state.
      expect(() => parseSuiteParams(filled(text), name, context), name).not.to.throw();
    }
    // The template's placeholders are the only thing between testnet.json and a deploy.
    expect(() =>
      parseSuiteParams(readFileSync(path.join(DIR, "testnet.json"), "utf8"), "testnet.json", context),
    ).to.throw(ParamsError, 'testnet.json: rewards.oracles[1] must be an address, "deployer" or "oracle"');
  });
});

describe("parseSuiteParams through the schema", function () {
  const base = () =>
    JSON.parse(readFileSync(path.join(DIR, "hardhat.json"), "utf8")) as Record<string, Record<string, unknown>>;
  const parse = (json: unknown) => () => parseSuiteParams(JSON.stringify(json), "p.json", context);

  it("ignores $schema, and refuses a field the schema does not know", function () {
    const json = base();
    delete json.$schema;
    expect(parse(json)).not.to.throw();
    json.token.epochLenght = 300;
    expect(parse(json)).to.throw(ParamsError, "p.json: token.epochLenght is not a known field");
  });

  it("bounds an integer written as a decimal string, beyond 2^53 too", function () {
    const json = base();
    json.token.halvingInterval = "18446744073709551615";
    expect(parse(json)).to.throw(ParamsError, /^p\.json: token\.cap is /);
    json.token.halvingInterval = "18446744073709551616";
    expect(parse(json)).to.throw(ParamsError, "p.json: token.halvingInterval must be at most 18446744073709551615");
    json.token.halvingInterval = 2 ** 60;
    expect(parse(json)).to.throw(
      ParamsError,
      "p.json: token.halvingInterval must be written as a decimal string beyond 9007199254740991",
    );
    const budget = base();
    (budget.registry.suspensionBudget as Record<string, unknown>).perWindow = "4294967296";
    expect(parse(budget)).to.throw(
      ParamsError,
      "p.json: registry.suspensionBudget.perWindow must be at most 4294967295",
    );
  });

  it("names an array's element, a tagged union's kind and the zero address", function () {
    const oracles = base();
    oracles.rewards.oracles = ["deployer", "deployer "];
    expect(parse(oracles)).to.throw(
      ParamsError,
      'p.json: rewards.oracles[1] must be an address, "deployer" or "oracle"',
    );
    oracles.rewards.oracles = ["deployer", "0x0000000000000000000000000000000000000001"];
    expect(parse(oracles)).to.throw(ParamsError, "p.json: rewards.oracles must be distinct");
    const kind = base();
    kind.priceFeed.kind = "chainlink";
    expect(parse(kind)).to.throw(ParamsError, 'p.json: priceFeed.kind must be "governed" or "external"');
    delete kind.priceFeed.kind;
    expect(parse(kind)).to.throw(ParamsError, "p.json: priceFeed.kind is missing");
    const zero = base();
    (zero as Record<string, unknown>).guardian = "0x0000000000000000000000000000000000000000";
    expect(parse(zero)).to.throw(ParamsError, "p.json: guardian must not be the zero address");
    const feed = base();
    feed.credits.sequencerUptimeFeed = "0x0000000000000000000000000000000000000000";
    expect(parse(feed)().params.credits.sequencerUptimeFeed).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("counts a class name's bytes, not its characters", function () {
    const json = base();
    ((json.registry.classes as unknown[])[0] as Record<string, unknown>).name = "é".repeat(16);
    expect(parse(json)).to.throw(ParamsError, "p.json: registry.classes[0].name must be at most 31 bytes");
  });

  it("says when the text is not JSON or not an object", function () {
    expect(() => parseSuiteParams("{", "p.json", context)).to.throw(ParamsError, "p.json: not valid JSON");
    expect(() => parseSuiteParams("[]", "p.json", context)).to.throw(ParamsError, "p.json: the file must be an object");
  });
});
