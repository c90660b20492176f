import Ajv, { type ErrorObject, type JSONSchemaType, type SchemaObject, type ValidateFunction } from "ajv";

import { isAddress } from "ethers";

import { UserError } from "./errors";

/*
 * The one schema layer of the suite's configuration: the params files, the environment, the
 * deployment records, the deploy journal and its pin are each described by a JSON Schema (draft-07)
 * and read through `schemaParser`, which reports the first problem as one line naming the field
 * (`p.json: token.cap is missing`). Rules a JSON Schema cannot state (one field against another, a
 * lookup of "deployer") stay in code, after the schema, in one named function per file.
 *
 * Beside the standard keywords, the schemas may carry three of the suite's own, which
 * `exportSchema` strips from a schema published for editors:
 * - `messages`: keyword → what to say when that keyword fails ("must be a whole number");
 * - `decimalMinimum` / `decimalMaximum`: the bounds of an integer written as a decimal string (JSON
 *   numbers stop being exact at 2^53, so the larger integers are strings), as decimal strings.
 * ajv's `discriminator` (the `kind` of a tagged union) and `nullable` (an optional field, for
 * `JSONSchemaType`) are stripped too; the `oneOf` of a union stays.
 */

/** The keywords of this layer that a standard validator does not know. */
const OWN_KEYWORDS = ["messages", "decimalMinimum", "decimalMaximum", "discriminator", "nullable"] as const;

const DECIMAL = /^[0-9]+$/;

// Strict (an unknown keyword or a keyword on the wrong type is a bug of the schema), except that a
// union's `required` may name a property that only its branches define (`kind`).
const ajv = new Ajv({
  allErrors: false,
  verbose: true,
  discriminator: true,
  allowUnionTypes: true,
  strict: true,
  strictRequired: false,
});
ajv.addKeyword({ keyword: "messages", schemaType: "object" });
ajv.addKeyword({
  keyword: "decimalMinimum",
  type: "string",
  schemaType: "string",
  validate: (limit: string, data: string) => !DECIMAL.test(data) || BigInt(data) >= BigInt(limit),
});
ajv.addKeyword({
  keyword: "decimalMaximum",
  type: "string",
  schemaType: "string",
  validate: (limit: string, data: string) => !DECIMAL.test(data) || BigInt(data) <= BigInt(limit),
});
/** `text` as the WHATWG URL parser (`new URL`, as Node and browsers use it) reads it, or undefined. */
function url(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
// "address": 0x and 40 hex digits, with a valid checksum when mixed-case (ethers' isAddress).
ajv.addFormat("address", { type: "string", validate: (text: string) => /^0x/.test(text) && isAddress(text) });
// "url": what `new URL` accepts; "web-url": one of those, over http(s) or ws(s).
ajv.addFormat("url", { type: "string", validate: (text: string) => url(text) !== undefined });
ajv.addFormat("web-url", {
  type: "string",
  validate: (text: string) => ["http:", "https:", "ws:", "wss:"].includes(url(text)?.protocol ?? ""),
});

/** A schema of this layer: typed against `T` where ajv can, or a plain schema object. */
export type Schema<T> = JSONSchemaType<T> | SchemaObject;

/** What a parser reports: one line, built by the caller's error class. */
export type ErrorFactory = new (message: string) => UserError;

export interface SchemaParserOptions {
  /** The error class of the file's domain (`ParamsError`, `EnvError`, …). */
  readonly error: ErrorFactory;
  /** How the whole document is named when it is the culprit ("the file"). */
  readonly root?: string;
  /** Join source and field with ": " (default) or report the field alone. */
  readonly withSource?: boolean;
}

/** A compiled schema: `value` checks parsed JSON, `text` parses JSON text first. */
export interface SchemaParser<T> {
  value(data: unknown, source: string): T;
  text(json: string, source: string, invalidJson?: string): T;
}

/** `/rewards/oracles/1` → `rewards.oracles[1]`. */
function fieldPath(pointer: string, extra?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/");
  if (extra !== undefined) segments.push(extra);
  let out = "";
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^[0-9]+$/.test(segment) ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** A quoted list: `"a", "b" or "c"`. */
function alternatives(values: readonly unknown[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** What a failed keyword says when its schema gives no message. */
function defaultMessage(error: ErrorObject): string {
  const { keyword, params } = error;
  switch (keyword) {
    case "minimum":
    case "decimalMinimum":
      return `must be at least ${String(error.schema)}`;
    case "maximum":
    case "decimalMaximum":
      return `must be at most ${String(error.schema)}`;
    case "minItems":
      return params.limit === 1 ? "must be a non-empty array" : `must have at least ${params.limit} items`;
    case "uniqueItems":
      return "must be distinct";
    case "minLength":
      return params.limit === 1 ? "must be a non-empty string" : `must be at least ${params.limit} characters`;
    case "enum":
      return `must be ${alternatives(error.schema as unknown[])}`;
    case "const":
      return `must be ${JSON.stringify(error.schema)}`;
    case "type":
      return `must be ${String(params.type)
        .split(",")
        .map((t) => (t === "object" || t === "array" || t === "integer" ? `an ${t}` : `a ${t}`))
        .join(" or ")}`;
    default:
      return error.message ?? `fails ${keyword}`;
  }
}

/**
 * The one line for ajv's errors. ajv stops at the first failure (`allErrors: false`); a failed
 * `anyOf`/`oneOf` lists its branches' errors first and its own last, so the last error is the one
 * that stopped it, and its schema (`parentSchema`) holds the field's `messages`.
 */
export function describeError(errors: readonly ErrorObject[], root: string): { field: string; message: string } {
  const error = errors[errors.length - 1];
  const messages = (error.parentSchema as { messages?: Record<string, string> } | undefined)?.messages ?? {};
  const own = messages[error.keyword];
  switch (error.keyword) {
    case "required":
      return { field: fieldPath(error.instancePath, error.params.missingProperty as string), message: "is missing" };
    case "additionalProperties":
      return {
        field: fieldPath(error.instancePath, error.params.additionalProperty as string),
        message: "is not a known field",
      };
    case "discriminator": {
      const tag = error.params.tag as string;
      const missing = error.params.tagValue === undefined;
      const kinds = ((error.parentSchema?.oneOf ?? []) as { properties: Record<string, { const: unknown }> }[]).map(
        (branch) => branch.properties[tag].const,
      );
      return {
        field: fieldPath(error.instancePath, tag),
        message: missing ? "is missing" : (own ?? `must be ${alternatives(kinds)}`),
      };
    }
    default: {
      const field = fieldPath(error.instancePath);
      return { field: field === "" ? root : field, message: own ?? defaultMessage(error) };
    }
  }
}

/**
 * A parser of `schema` that throws `options.error` with one line naming the field. The schema is
 * compiled on first use, so that loading a module costs nothing.
 */
export function schemaParser<T>(schema: Schema<T>, options: SchemaParserOptions): SchemaParser<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = (data: unknown): data is T => {
    compiled ??= ajv.compile<T>(schema as SchemaObject);
    return compiled(data);
  };
  const root = options.root ?? "the file";
  const fail = (source: string, line: string): never => {
    throw new options.error(options.withSource === false ? line : `${source}: ${line}`);
  };
  const value = (data: unknown, source: string): T => {
    if (validate(data)) return data;
    const { field, message } = describeError(compiled?.errors ?? [], root);
    return fail(source, `${field} ${message}`);
  };
  return {
    value,
    text(json, source, invalidJson = `${source}: not valid JSON`) {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch {
        throw new options.error(invalidJson);
      }
      return value(data, source);
    },
  };
}

/** `schema` as a standard draft-07 JSON Schema, for editors and other validators: this layer's own keywords removed. */
export function exportSchema(schema: Schema<unknown>, meta: { readonly title: string }): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !(OWN_KEYWORDS as readonly string[]).includes(key))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return { $schema: "http://json-schema.org/draft-07/schema#", ...meta, ...(strip(schema) as object) };
}
