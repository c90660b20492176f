import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, id, parseEther } from "ethers";

import { signTokenPermit } from "../../scripts/lib/credits";
import { registryDomain } from "../../scripts/lib/registry";
import { signClaimTo } from "../../scripts/lib/rewards/signature";
import { proofFor } from "../fixtures/rewards-tree";
import { deployAdversarialFixture } from "../fixtures/adversarial";
import { malleate, postClaimableRoot, stateOf } from "./helpers";

type Suite = Awaited<ReturnType<typeof deployAdversarialFixture>>;
type Request = Awaited<ReturnType<Suite["onboardRequest"]>>;

/**
 * Signs an onboarding for Alice under `domain` and a claimTo for Bob bound to `claimContract` on
 * `claimChainId`, then asserts that the suite refuses both (and whatever `also` tries), and that no
 * balance, claim or device changed.
 */
async function expectForeignSignaturesRefused(
  s: Suite,
  deviceLabel: string,
  foreign: {
    readonly domain: ReturnType<typeof registryDomain>;
    readonly claimContract: string;
    readonly claimChainId: bigint;
    readonly also?: (device: Wallet, request: Request) => Promise<void>;
  },
): Promise<void> {
  const device = new Wallet(id(deviceLabel));
  const request = await s.onboardRequest(device, s.alice.address, { domain: foreign.domain });
  const { tree } = await postClaimableRoot(s, 0n, [{ account: s.bob.address, cumulativeAmount: 100n }]);
  const claimSignature = await signClaimTo(s.bob, foreign.claimContract, foreign.claimChainId, {
    account: s.bob.address,
    recipient: s.carol.address,
    cumulativeAmount: 100n,
    nonce: 0n,
    deadline: 2n ** 40n,
  });
  const accounts = [s.alice.address, s.bob.address, s.carol.address];
  const before = await stateOf(s, accounts, [device.address]);

  await expect(s.registry.connect(s.alice).onboard(request))
    .to.be.revertedWithCustomError(s.registry, "InvalidMakerSignature")
    .withArgs(s.makerId, device.address);
  if (foreign.also !== undefined) await foreign.also(device, request);
  const { proof } = proofFor(tree, s.bob.address);
  await expect(s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, claimSignature))
    .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
    .withArgs(s.bob.address);
  expect(await stateOf(s, accounts, [device.address])).to.deep.equal(before);
}

describe("Adversarial", function () {
  describe("signatures", function () {
    it("replay across chains: an onboarding and a claimTo signed for chain 1 are refused on this chain", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      await expectForeignSignaturesRefused(s, "cross-chain device", {
        domain: registryDomain(1n, await s.registry.getAddress()),
        claimContract: await s.distributor.getAddress(),
        claimChainId: 1n,
        // The device half alone, with a valid attestation, is refused too.
        also: async (device, request) => {
          const honest = await s.onboardRequest(device, s.alice.address);
          await expect(s.registry.connect(s.alice).onboard({ ...honest, deviceSignature: request.deviceSignature }))
            .to.be.revertedWithCustomError(s.registry, "InvalidDeviceSignature")
            .withArgs(device.address);
        },
      });
    });

    it("replay across contracts: signatures bound to another verifying contract are refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      await expectForeignSignaturesRefused(s, "cross-contract device", {
        // An onboarding signed for another registry (here: the distributor's address as verifying contract),
        // and a claimTo signed for another distributor (here: the registry's address).
        domain: registryDomain(s.chainId, await s.distributor.getAddress()),
        claimContract: await s.registry.getAddress(),
        claimChainId: s.chainId,
      });
    });

    it("replay after decommission: the used request, and a fresh one from the same key, never onboard again", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("decommissioned device"));
      const request = await s.onboardRequest(device, s.alice.address);
      await s.registry.connect(s.alice).onboard(request);
      await s.registry.connect(s.alice).decommission(BigInt(device.address));
      const fresh = await s.onboardRequest(device, s.bob.address);
      const before = await stateOf(s, [s.alice.address, s.bob.address], [device.address]);

      await expect(s.registry.connect(s.alice).onboard(request))
        .to.be.revertedWithCustomError(s.registry, "DeviceAlreadyOnboarded")
        .withArgs(device.address);
      await expect(s.registry.connect(s.bob).onboard(fresh))
        .to.be.revertedWithCustomError(s.registry, "DeviceAlreadyOnboarded")
        .withArgs(device.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address], [device.address])).to.deep.equal(before);
      await expect(s.registry.ownerOf(BigInt(device.address)))
        .to.be.revertedWithCustomError(s.registry, "ERC721NonexistentToken")
        .withArgs(BigInt(device.address));
    });

    it("malleable signatures: the high-s twin of a valid maker, device or claimTo signature is refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("malleable device"));
      const request = await s.onboardRequest(device, s.alice.address);
      const { tree } = await postClaimableRoot(s, 0n, [{ account: s.bob.address, cumulativeAmount: 100n }]);
      const message = {
        account: s.bob.address,
        recipient: s.carol.address,
        cumulativeAmount: 100n,
        nonce: 0n,
        deadline: 2n ** 40n,
      };
      const claimSignature = await signClaimTo(s.bob, await s.distributor.getAddress(), s.chainId, message);
      const { proof } = proofFor(tree, s.bob.address);
      const before = await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address]);

      await expect(
        s.registry.connect(s.alice).onboard({ ...request, makerSignature: malleate(request.makerSignature) }),
      )
        .to.be.revertedWithCustomError(s.registry, "InvalidMakerSignature")
        .withArgs(s.makerId, device.address);
      await expect(
        s.registry.connect(s.alice).onboard({ ...request, deviceSignature: malleate(request.deviceSignature) }),
      )
        .to.be.revertedWithCustomError(s.registry, "InvalidDeviceSignature")
        .withArgs(device.address);
      await expect(
        s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, malleate(claimSignature)),
      )
        .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
        .withArgs(s.bob.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address])).to.deep.equal(
        before,
      );
      // The original, low-s signatures still work: the refusals were for the twins.
      await expect(s.registry.connect(s.alice).onboard(request)).to.emit(s.registry, "DeviceOnboarded");
      await expect(
        s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, claimSignature),
      ).to.emit(s.distributor, "Claimed");
    });

    it("a front-run permit: the victim's permit-and-mint still mints to the victim, and the front-runner gains nothing", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const victim = s.carol;
      const attacker = s.bob;
      const creditsAddress = await s.credits.getAddress();
      const amount = parseEther("10");
      const deadline = 2n ** 40n;
      await s.token.connect(victim).approve(creditsAddress, 0n);
      const sig = await signTokenPermit(s.token, victim, creditsAddress, amount, deadline);
      const attackerBefore = await stateOf(s, [attacker.address]);

      // The attacker sees the permit in the mempool and submits it first: the allowance is set, nonce used.
      await s.token.connect(attacker).permit(victim.address, creditsAddress, amount, deadline, sig.v, sig.r, sig.s);
      // Replaying the permit again fails: the nonce moved.
      await expect(
        s.token.connect(attacker).permit(victim.address, creditsAddress, amount, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(s.token, "ERC2612InvalidSigner");
      // The attacker cannot spend the allowance: it was given to DataCredits, which burns only msg.sender's tokens.
      await expect(s.credits.connect(attacker).mintWithTokens(attacker.address, amount, 0n))
        .to.be.revertedWithCustomError(s.token, "ERC20InsufficientAllowance")
        .withArgs(creditsAddress, 0n, amount);

      const quoted = await s.credits.quoteCredits(amount);
      const credits = await s.credits.balanceOf(victim.address);
      const tokens = await s.token.balanceOf(victim.address);
      await expect(
        s.credits.connect(victim).mintWithTokensPermit(victim.address, amount, quoted, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(s.credits, "CreditsMinted")
        .withArgs(victim.address, victim.address, amount, quoted, (await s.credits.price()).answer);
      expect(await s.credits.balanceOf(victim.address)).to.equal(credits + quoted);
      expect(await s.token.balanceOf(victim.address)).to.equal(tokens - amount);
      expect(await s.token.allowance(victim.address, creditsAddress)).to.equal(0n);
      const attackerAfter = (await stateOf(s, [attacker.address])) as { perAccount: unknown };
      expect(attackerAfter.perAccount, "the attacker's tokens, nonces, stake and credits").to.deep.equal(
        (attackerBefore as { perAccount: unknown }).perAccount,
      );
    });
  });
});
