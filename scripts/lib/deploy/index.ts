/** The typed deploy library: what `suite:deploy`, the test fixtures and the bench all call. */
export * from "./authority";
export * from "./connect";
export * from "./core";
export * from "./credits";
export * from "./journal";
export * from "./params";
export * from "./proxy";
export * from "./registry";
export * from "./rewards";
export * from "./run";
export * from "./staking";
export * from "./suite";
export * from "./suite-params";
export * from "./token";
export * from "./upgrade";
export * from "./verify";
