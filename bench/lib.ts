import type { ContractTransactionResponse } from "ethers";

/** One measured operation of the gas table. */
export interface GasMeasurement {
  /** A stable key, also the key of `bench/gas-budgets.json`. */
  readonly op: string;
  /** Gas used, per item where `per` is given (e.g. per device of a batch). */
  readonly gas: bigint;
  /** How many items the transaction covered, when the figure is per item. */
  readonly per?: number;
}

/** A module of `bench/ops/`: deploys what it needs on the in-process chain and measures. */
export type GasBench = () => Promise<GasMeasurement[]>;

/** The gas a transaction used, per item when `per` is given (rounded up). */
export async function gasOf(tx: Promise<ContractTransactionResponse>, per = 1): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return (receipt.gasUsed + BigInt(per) - 1n) / BigInt(per);
}
