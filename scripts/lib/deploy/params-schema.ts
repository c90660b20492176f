import type { JSONSchemaType } from "ajv";

import { exportSchema } from "../schema";

/*
 * The schema of `deploy/params/<network>.json`, which is also its documentation: `npm run
 * schema:params` writes it as `deploy/params/schema.json` (a test keeps the two equal), and every
 * params file names that file in its `"$schema"`, so that an editor completes and checks it.
 * `parseSuiteParams` (suite-params.ts) validates a file against it, then applies the rules a JSON
 * Schema cannot state.
 */

/** An integer as a person writes it: a JSON number, or a decimal string (beyond 2^53 - 1, a string). */
export type Uint = number | string;

/** A params file as written, before "deployer", "oracle" and "now" are resolved. */
export interface ParamsInput {
  readonly $schema?: string;
  readonly chainIds: readonly number[];
  readonly token: {
    readonly name: string;
    readonly symbol: string;
    readonly cap: string;
    readonly genesis: Uint;
    readonly epochLength: Uint;
    readonly initialEpochEmission: string;
    readonly halvingInterval: Uint;
    readonly genesisAllocation: string;
    readonly treasury: string;
  };
  readonly priceFeed:
    | {
        readonly kind: "governed";
        readonly decimals: Uint;
        readonly description: string;
        readonly initialPrice: string;
        readonly maxDeviationBps: Uint;
        readonly minInterval: Uint;
        readonly maxWindowMoveBps: Uint;
        readonly moveWindow: Uint;
      }
    | { readonly kind: "external"; readonly address: string };
  readonly credits: {
    readonly maxStaleness: Uint;
    readonly sequencerUptimeFeed: string | null;
    readonly sequencerGracePeriod: Uint;
    readonly maxMintPerWindow: Uint;
    readonly mintWindow: Uint;
    readonly undelegateNotice: Uint;
  };
  readonly registry: {
    readonly name: string;
    readonly symbol: string;
    readonly baseURI: string;
    readonly classes: readonly {
      readonly name: string;
      readonly multiplierBps: Uint;
      readonly onboardingFee: Uint;
      readonly locationFee: Uint;
    }[];
    readonly suspensionBudget: { readonly perWindow: Uint; readonly windowSeconds: Uint };
  };
  readonly staking: { readonly unbondingPeriod: Uint; readonly maxCommissionStepBps: Uint };
  readonly rewards: {
    readonly quorum: Uint;
    readonly challengeWindow: Uint;
    readonly split: { readonly operatorsBps: Uint; readonly stakersBps: Uint; readonly treasuryBps: Uint };
    readonly oracles: readonly string[];
  };
  readonly guardian: string;
  readonly pipeline: { readonly minStakePerDevice: string; readonly maxProofs: Uint };
  readonly handoverDelay: Uint;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UINT32 = 2n ** 32n - 1n;
const UINT64 = 2n ** 64n - 1n;
const WHOLE = "must be a whole number";

/** `2^32 - 1` for the bounds that are one, else the number with thousands separators. */
function bound(value: bigint): string {
  const power = [24n, 32n, 48n, 64n].find((p) => value === 2n ** p - 1n);
  return power !== undefined ? `${value} (2^${power} - 1)` : value.toLocaleString("en-US");
}

/**
 * An integer field from `min` through `max` (unbounded when `max` is undefined), as a JSON number
 * or a decimal string. A number is bounded by `minimum`/`maximum`; a string by `decimalMinimum`/
 * `decimalMaximum`, and a number past 2^53 - 1 must be written as a string.
 */
function uint(description: string, min: bigint, max: bigint | undefined, fallback?: Uint): JSONSchemaType<Uint> {
  const range = max === undefined ? `at least ${bound(min)}` : `${bound(min)} through ${bound(max)}`;
  const big = max === undefined || max > MAX_SAFE;
  return {
    type: ["integer", "string"],
    description: `${description} An integer, ${range}: a JSON number or a decimal string${big ? " (a string beyond 2^53 - 1)" : ""}.`,
    minimum: Number(min),
    maximum: Number(big ? MAX_SAFE : max),
    pattern: "^[0-9]+$",
    decimalMinimum: min.toString(),
    ...(max !== undefined ? { decimalMaximum: max.toString() } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    messages: {
      type: WHOLE,
      pattern: WHOLE,
      ...(big ? { maximum: `must be written as a decimal string beyond ${MAX_SAFE}` } : {}),
    },
  } as JSONSchemaType<Uint>;
}

const TOKENS_MESSAGE = 'must be a decimal string of tokens, e.g. "250000"';

/** An amount of whole tokens (18 decimals) as a decimal string. */
function tokens(description: string, positive: boolean, fallback?: string): JSONSchemaType<string> {
  return {
    type: "string",
    description: `${description} Whole tokens as a decimal string with at most 18 decimals ("250000", "0.5")${positive ? ", more than 0" : ""}.`,
    pattern: "^[0-9]+(\\.[0-9]{1,18})?$",
    ...(positive ? { not: { type: "string", pattern: "^0+(\\.0+)?$" } } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    messages: { type: TOKENS_MESSAGE, pattern: TOKENS_MESSAGE, not: "must be positive" },
  };
}

const ADDRESS_MESSAGE = 'must be an address, "deployer" or "oracle"';

/**
 * An address: 0x and 40 hex digits (a mixed-case one must carry a valid checksum), or "deployer" /
 * "oracle", the first and second configured accounts. Not the zero address; `null` stands for it
 * where `nullable`.
 */
function address(description: string, nullable = false): JSONSchemaType<string> {
  return {
    type: nullable ? ["string", "null"] : "string",
    description: `${description} An address (0x and 40 hex digits), "deployer" or "oracle" (the first and second configured accounts)${nullable ? ", or null for none" : ""}.`,
    pattern: "^(deployer|oracle|0x[0-9a-fA-F]{40})$",
    ...(nullable ? {} : { not: { type: "string", pattern: "^0x0{40}$" } }),
    messages: { type: ADDRESS_MESSAGE, pattern: ADDRESS_MESSAGE, not: "must not be the zero address" },
  } as JSONSchemaType<string>;
}

function text(description: string, fallback?: string, maxBytes?: number): JSONSchemaType<string> {
  return {
    type: "string",
    description: `${description}${maxBytes !== undefined ? ` At most ${maxBytes} bytes of UTF-8.` : ""}`,
    minLength: 1,
    ...(maxBytes !== undefined ? { maxLength: maxBytes } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    messages: { type: "must be a non-empty string", maxLength: `must be at most ${maxBytes} bytes` },
  };
}

/** The common part of an object: no other fields than its `properties`, all of them required. */
function object(description: string) {
  return { type: "object" as const, description, additionalProperties: false as const };
}

const DAY = 86_400;

export const PARAMS_SCHEMA: JSONSchemaType<ParamsInput> = {
  ...object(
    "The parameters of one deployment of the suite (`npx hardhat suite:deploy`). Every field is required: nothing is " +
      "filled in, so nothing is defaulted by accident. A field's `default` is the protocol's default value (PROTOCOL.md), " +
      "which an editor offers. Times are in seconds; basis points (bps) are parts of 10,000.",
  ),
  properties: {
    $schema: {
      type: "string",
      nullable: true,
      description: 'This schema, for editors: "./schema.json". Ignored by the parser.',
    },
    chainIds: {
      type: "array",
      description:
        "The chain ids this file is for: suite:deploy refuses a network whose chain is not listed (suite:init-params writes it).",
      items: {
        type: "integer",
        description: "A chain id (EIP-155), as a JSON number.",
        minimum: 1,
        messages: { type: "must be a positive integer", minimum: "must be a positive integer" },
      },
      minItems: 1,
      messages: { type: "must be a non-empty array" },
    },
    token: {
      ...object("RewardToken: the capped, halving emission token."),
      properties: {
        name: text("The token's ERC-20 name.", "DePIN Network Token"),
        symbol: text("The token's ERC-20 symbol.", "DPN"),
        cap: tokens(
          "The supply cap. It must hold genesisAllocation plus the whole emission schedule (RewardToken's constructor refuses less).",
          true,
          "1000000000",
        ),
        genesis: {
          type: ["integer", "string"],
          description:
            'Unix time (seconds) at which epoch 0 starts, 0 through 4294967295 (2^32 - 1; Staking keeps it in 32 bits), or "now": the latest block\'s time when the deployment begins (pinned for a resumed run).',
          minimum: 0,
          maximum: Number(UINT32),
          pattern: "^(now|[0-9]+)$",
          decimalMaximum: UINT32.toString(),
          default: "now",
          messages: { type: 'must be "now" or a whole number', pattern: 'must be "now" or a whole number' },
        } as JSONSchemaType<Uint>,
        epochLength: uint("Seconds per epoch (Staking keeps it in 24 bits).", 1n, 2n ** 24n - 1n, DAY),
        initialEpochEmission: tokens("Tokens minted for each epoch of the first halving period.", true, "250000"),
        halvingInterval: uint("Epochs per halving period: the emission halves after each.", 1n, UINT64, 730),
        genesisAllocation: tokens("Tokens minted to the treasury at deployment; may be 0.", false, "0"),
        treasury: address("Receives the genesis allocation and the treasury's share of each epoch."),
      },
      required: [
        "name",
        "symbol",
        "cap",
        "genesis",
        "epochLength",
        "initialEpochEmission",
        "halvingInterval",
        "genesisAllocation",
        "treasury",
      ],
    },
    priceFeed: {
      type: "object",
      description:
        'The USD price of the token that DataCredits mints at: the suite\'s own governed feed ("governed") or an existing Chainlink-style feed ("external").',
      required: ["kind"],
      discriminator: { propertyName: "kind" },
      oneOf: [
        {
          ...object("The suite deploys its own GovernedPriceFeed, moved by governance within bounds."),
          properties: {
            kind: { type: "string", const: "governed", description: "The suite's own feed." },
            decimals: uint("Decimals of the feed's answer.", 0n, 18n, 8),
            description: text("The feed's description.", "DPN / USD"),
            initialPrice: {
              type: "string",
              description:
                'The first price, in USD per whole token, as a decimal string ("0.5") with at most `decimals` decimals, more than 0.',
              pattern: "^[0-9]+(\\.[0-9]+)?$",
              messages: {
                type: 'must be a decimal USD price, e.g. "0.5"',
                pattern: 'must be a decimal USD price, e.g. "0.5"',
              },
            },
            maxDeviationBps: uint("The most one price update may move the price, in bps.", 1n, 10_000n, 500),
            minInterval: uint("Seconds that must pass between two price updates.", 0n, UINT32, 900),
            maxWindowMoveBps: uint(
              "The most the prices in force within any moveWindow may differ, in bps of the lowest.",
              1n,
              UINT32,
              5000,
            ),
            moveWindow: uint("The window of maxWindowMoveBps, in seconds.", 1n, UINT32, DAY),
          },
          required: [
            "kind",
            "decimals",
            "description",
            "initialPrice",
            "maxDeviationBps",
            "minInterval",
            "maxWindowMoveBps",
            "moveWindow",
          ],
        },
        {
          ...object("DataCredits reads an existing Chainlink-style aggregator."),
          properties: {
            kind: { type: "string", const: "external", description: "An existing feed." },
            address: address("The feed's address."),
          },
          required: ["kind", "address"],
        },
      ],
    },
    credits: {
      ...object("DataCredits: the non-transferable credits (DC) bought with burned tokens; 100,000 DC = $1."),
      properties: {
        maxStaleness: uint("The oldest price, in seconds, that a mint accepts.", 1n, UINT32, 3600),
        sequencerUptimeFeed: address("The L2 sequencer-uptime feed (Chainlink), or null on a chain without one.", true),
        sequencerGracePeriod: uint("Seconds after the sequencer comes back before mints resume.", 0n, UINT32, 3600),
        maxMintPerWindow: uint(
          "The most DC minted in any mintWindow (the default is $1,000,000).",
          1n,
          2n ** 48n - 1n,
          "100000000000",
        ),
        mintWindow: uint("The window of maxMintPerWindow, in seconds.", 1n, UINT32, DAY),
        undelegateNotice: uint("Seconds between announcing and taking effect of an undelegation.", 0n, UINT32, DAY),
      },
      required: [
        "maxStaleness",
        "sequencerUptimeFeed",
        "sequencerGracePeriod",
        "maxMintPerWindow",
        "mintWindow",
        "undelegateNotice",
      ],
    },
    registry: {
      ...object("DeviceRegistry: the devices (ERC-721), their classes and the oracles' suspension budget."),
      properties: {
        name: text("The registry's ERC-721 name.", "DePIN Devices"),
        symbol: text("The registry's ERC-721 symbol.", "DEVICE"),
        baseURI: text("tokenURI(id) is baseURI followed by the decimal id."),
        classes: {
          type: "array",
          description: "The device classes created at initialization, ids 0, 1, … in this order.",
          minItems: 1,
          messages: { type: "must be a non-empty array" },
          items: {
            ...object("One device class."),
            properties: {
              name: text("The class's name.", undefined, 31),
              multiplierBps: uint("Reward multiplier in bps (10,000 = 1x).", 1n, 100_000n),
              onboardingFee: uint("DC burned to onboard a device of this class.", 0n, UINT64),
              locationFee: uint("DC burned to assert a device's location.", 0n, UINT64),
            },
            required: ["name", "multiplierBps", "onboardingFee", "locationFee"],
          },
        },
        suspensionBudget: {
          ...object(
            "What one oracle key may suspend: perWindow devices in each of its windows of windowSeconds. The guardian is not bounded.",
          ),
          properties: {
            perWindow: uint("Suspensions per window; 0 leaves suspending to the guardian.", 0n, UINT32, 100),
            windowSeconds: uint("The window's length, in seconds.", 1n, UINT32, DAY),
          },
          required: ["perWindow", "windowSeconds"],
        },
      },
      required: ["name", "symbol", "baseURI", "classes", "suspensionBudget"],
    },
    staking: {
      ...object("Staking: operator stake and delegation."),
      properties: {
        unbondingPeriod: uint("Seconds an unbond request waits before withdraw pays it.", 1n, UINT64, 7 * DAY),
        maxCommissionStepBps: uint("The most a commission may move per epoch, in bps.", 0n, 10_000n, 500),
      },
      required: ["unbondingPeriod", "maxCommissionStepBps"],
    },
    rewards: {
      ...object("RewardsDistributor: the oracles' epoch roots and the claims."),
      properties: {
        quorum: uint(
          "Distinct oracles that must post the identical root; at most the number of oracles.",
          1n,
          undefined,
          1,
        ),
        challengeWindow: uint("Seconds from a root standing to it being claimable.", 0n, UINT32, 6 * 3600),
        split: {
          ...object("How each epoch's emission is shared, in bps; the three add up to 10,000."),
          properties: {
            operatorsBps: uint("The device operators' share.", 0n, 10_000n, 7500),
            stakersBps: uint("The stakers' share.", 0n, 10_000n, 1500),
            treasuryBps: uint("The treasury's share.", 0n, 10_000n, 1000),
          },
          required: ["operatorsBps", "stakersBps", "treasuryBps"],
        },
        oracles: {
          type: "array",
          description: "The first oracles, distinct; each gets the ORACLE role.",
          minItems: 1,
          items: address("An oracle."),
          messages: { type: "must be a non-empty array" },
        },
      },
      required: ["quorum", "challengeWindow", "split", "oracles"],
    },
    guardian: address("Holds GUARDIAN (pause, veto, suspend), with no delay."),
    pipeline: {
      ...object("What the epoch pipeline reads from the deployment record (not on-chain)."),
      properties: {
        minStakePerDevice: tokens(
          "Operator stake an owner needs per device for a full stake factor; 0 turns the factor off.",
          false,
          "1000",
        ),
        maxProofs: uint("Coverage proofs per device per epoch beyond which more earn nothing.", 1n, undefined, 100),
      },
      required: ["minStakePerDevice", "maxProofs"],
    },
    handoverDelay: uint("The execution delay governance gets at suite:deploy --handover, in seconds.", 0n, UINT32),
  },
  required: [
    "chainIds",
    "token",
    "priceFeed",
    "credits",
    "registry",
    "staking",
    "rewards",
    "guardian",
    "pipeline",
    "handoverDelay",
  ],
};

/** `deploy/params/schema.json` as `npm run schema:params` writes it. */
export function paramsSchemaJson(): string {
  return (
    JSON.stringify(
      exportSchema(PARAMS_SCHEMA, {
        title: "deploy/params/<network>.json",
      }),
      null,
      2,
    ) + "\n"
  );
}
