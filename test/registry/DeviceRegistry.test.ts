import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import {
  AbiCoder,
  Wallet,
  ZeroAddress,
  ZeroHash,
  concat,
  getAddress,
  id,
  toBeHex,
  type Result,
  type TypedDataDomain,
} from "ethers";
import { ethers } from "hardhat";

import {
  DeviceRegistry__factory,
  RegistryMockERC1271Wallet__factory,
  RegistryMockReentrantReceiver__factory,
} from "../../typechain-types";
import { DEVICE_REGISTRY_ROLES, DEFAULT_DEVICE_CLASSES } from "../../scripts/lib/deploy/registry";
import {
  DeviceStatus,
  addMaker,
  decodeName,
  encodeName,
  makerAttestationDigest,
  makerConfig,
  onboardDigest,
  registryDomain,
  signMakerAttestation,
  signOnboard,
  tokenIdOf,
  type OnboardRequest,
} from "../../scripts/lib/registry";
import { Roles } from "../../scripts/lib/roles";
import { shouldBehaveLikePausable } from "../behaviors/pausable.behavior";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import {
  CELL,
  DASHCAM,
  HOTSPOT,
  LOCATION_FEES,
  ONBOARD_FEES,
  SENSOR,
  STARTING_CREDITS,
  deployRegistryFixture,
  deviceKey,
  makerKey,
  requestFor,
  withDevicesFixture,
  withMakerFixture,
} from "../fixtures/registry";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const CLASS_CONFIG = { name: encodeName("drone"), multiplierBps: 8_000n, onboardingFee: 10n, locationFee: 1n };
const BUDGET = { perWindow: 1n, windowSeconds: 1n };
/** ERC-7201 locations: the registry's namespace and OpenZeppelin's Pausable, which the registry leaves unused. */
const REGISTRY_STORAGE_LOCATION = "0xbfcb113717b75b883a577dd88c43c14b46af50ce90e62821f7ab7cd0d10dc900";
const OZ_PAUSABLE_LOCATION = "0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300";

/** The same signature with s' = n - s and the other v: valid for ecrecover, malleable. */
function highS(signature: string): string {
  const r = signature.slice(0, 66);
  const s = BigInt("0x" + signature.slice(66, 130));
  const v = parseInt(signature.slice(130, 132), 16);
  return concat([r, toBeHex(SECP256K1_N - s, 32), toBeHex(v === 27 ? 28 : 27, 1)]);
}

/** What the ecrecover precompile returns for a 65-byte signature, with no s check. */
async function ecrecover(digest: string, signature: string): Promise<string> {
  const r = signature.slice(0, 66);
  const s = "0x" + signature.slice(66, 130);
  const v = parseInt(signature.slice(130, 132), 16);
  const out = await ethers.provider.call({
    to: "0x0000000000000000000000000000000000000001",
    data: AbiCoder.defaultAbiCoder().encode(["bytes32", "uint8", "bytes32", "bytes32"], [digest, v, r, s]),
  });
  return getAddress("0x" + out.slice(26));
}

describe("DeviceRegistry", function () {
  describe("initialize", function () {
    it("sets the token, the credits, the base URI and the default classes, enabled", async function () {
      const { registry, credits } = await loadFixture(deployRegistryFixture);
      expect(await registry.name()).to.equal("DePIN Device");
      expect(await registry.symbol()).to.equal("DEVICE");
      expect(await registry.credits()).to.equal(await credits.getAddress());
      expect(await registry.paused()).to.equal(false);
      expect(await registry.deviceClassCount()).to.equal(3n);
      for (const [i, params] of DEFAULT_DEVICE_CLASSES.entries()) {
        const c = await registry.deviceClass(i);
        expect(decodeName(c.name)).to.equal(params.name);
        expect(c.multiplierBps).to.equal(params.multiplierBps);
        expect(c.onboardingFee).to.equal(params.onboardingFee);
        expect(c.locationFee).to.equal(params.locationFee);
        expect(c.enabled).to.equal(true);
      }
      expect(await registry.makerCount()).to.equal(0n);
      const budget = await registry.suspensionBudget();
      expect([budget.perWindow, budget.windowSeconds]).to.deep.equal([100n, 86_400n]);
    });

    it("ships the demo's fees: $40/$10, $20/$5 and $5/$1 at 1 DC = $0.00001", async function () {
      expect(
        DEFAULT_DEVICE_CLASSES.map((c) => [c.name, c.multiplierBps, c.onboardingFee, c.locationFee]),
      ).to.deep.equal([
        ["hotspot", 10_000n, 4_000_000n, 1_000_000n],
        ["dashcam", 12_000n, 2_000_000n, 500_000n],
        ["sensor", 5_000n, 500_000n, 100_000n],
      ]);
    });

    it("reverts with InvalidInitialization on the implementation and on the proxy again", async function () {
      const { registry, manager, credits, deployer } = await loadFixture(deployRegistryFixture);
      const implementation = getAddress(
        "0x" +
          (
            await ethers.provider.getStorage(
              await registry.getAddress(),
              "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc",
            )
          ).slice(26),
      );
      const authority = await manager.getAddress();
      const creditsAddress = await credits.getAddress();
      await expect(
        DeviceRegistry__factory.connect(implementation, deployer).initialize(
          authority,
          creditsAddress,
          "n",
          "s",
          "u",
          [],
          BUDGET,
        ),
      ).to.be.revertedWithCustomError(registry, "InvalidInitialization");
      await expect(
        registry.initialize(authority, creditsAddress, "n", "s", "u", [], BUDGET),
      ).to.be.revertedWithCustomError(registry, "InvalidInitialization");
    });

    it("is granted FEE_BURNER by the deploy library", async function () {
      const { registry, manager } = await loadFixture(deployRegistryFixture);
      const [isMember, delay] = await manager.hasRole(Roles.FEE_BURNER, await registry.getAddress());
      expect([isMember, delay]).to.deep.equal([true, 0n]);
    });

    it("declares ERC-165, ERC-721, its metadata and ERC-4906", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      for (const interfaceId of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0x49064906"]) {
        expect(await registry.supportsInterface(interfaceId), interfaceId).to.equal(true);
      }
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("shares its EIP-712 type hashes with the TypeScript library", async function () {
      const { registry, domain } = await loadFixture(deployRegistryFixture);
      expect(await registry.MAKER_ATTESTATION_TYPEHASH()).to.equal(
        id("MakerAttestation(address device,uint8 deviceClass,uint32 makerId)"),
      );
      expect(await registry.ONBOARD_TYPEHASH()).to.equal(id("Onboard(address owner,uint256 nonce,uint256 deadline)"));
      const eip712 = await registry.eip712Domain();
      expect([eip712.name, eip712.version, eip712.chainId, eip712.verifyingContract]).to.deep.equal([
        domain.name,
        domain.version,
        domain.chainId,
        domain.verifyingContract,
      ]);
    });
  });

  shouldBehaveLikeRestricted(async () => {
    const { manager, registry, stranger } = await loadFixture(withDevicesFixture);
    const maker = makerConfig({ name: "m", signer: makerKey.address, sponsor: ZeroAddress, classes: [0n], quota: 0n });
    const tokenId = tokenIdOf(deviceKey(0).address);
    return {
      manager,
      target: registry,
      table: DEVICE_REGISTRY_ROLES,
      calls: [
        { signature: "setCredits(address)", args: [stranger.address] },
        { signature: "setBaseURI(string)", args: ["ipfs://x/"] },
        { signature: "setSuspensionBudget(uint32,uint32)", args: [1n, 1n] },
        { signature: "reinstate(uint256)", args: [tokenId] },
        { signature: "unpause()", args: [] },
        { signature: "addMaker((bytes32,address,address,uint64,uint32))", args: [maker] },
        { signature: "updateMaker(uint32,(bytes32,address,address,uint64,uint32))", args: [1n, maker] },
        { signature: "setMakerEnabled(uint32,bool)", args: [1n, false] },
        { signature: "addDeviceClass((bytes32,uint32,uint64,uint64))", args: [CLASS_CONFIG] },
        { signature: "updateDeviceClass(uint8,(bytes32,uint32,uint64,uint64))", args: [0n, CLASS_CONFIG] },
        { signature: "setDeviceClassEnabled(uint8,bool)", args: [0n, false] },
        { signature: "suspend(uint256,uint16)", args: [tokenId, 1n] },
        { signature: "guardianSuspend(uint256,uint16)", args: [tokenId, 1n] },
        { signature: "liftSuspensions(address,uint256[])", args: [stranger.address, [tokenId]] },
        { signature: "pause()", args: [] },
        { signature: "upgradeToAndCall(address,bytes)", args: [stranger.address, "0x"] },
      ],
      publicFunctions: [
        "initialize(address,address,string,string,string,(bytes32,uint32,uint64,uint64)[],(uint32,uint32))",
        "onboard((address,uint8,uint32,address,uint256,bytes,bytes))",
        "batchOnboard((address,uint8,uint32,address,uint256,bytes,bytes)[])",
        "useOnboardingNonce()",
        "assertLocation(uint256,uint64)",
        "setRewardsRecipient(uint256,address)",
        "decommission(uint256)",
        "approve(address,uint256)",
        "setApprovalForAll(address,bool)",
        "transferFrom(address,address,uint256)",
        "safeTransferFrom(address,address,uint256)",
        "safeTransferFrom(address,address,uint256,bytes)",
      ],
      stranger,
    };
  });

  describe("setCredits", function () {
    it("sets the credits contract and emits CreditsSet", async function () {
      const { registry, credits, stranger } = await loadFixture(deployRegistryFixture);
      await expect(registry.setCredits(stranger.address))
        .to.emit(registry, "CreditsSet")
        .withArgs(await credits.getAddress(), stranger.address);
      expect(await registry.credits()).to.equal(stranger.address);
    });

    it("reverts with InvalidCredits for the zero address", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      await expect(registry.setCredits(ZeroAddress))
        .to.be.revertedWithCustomError(registry, "InvalidCredits")
        .withArgs(ZeroAddress);
    });
  });

  describe("setBaseURI", function () {
    it("sets the base of tokenURI and emits BaseURISet and BatchMetadataUpdate", async function () {
      const { registry, tokenIds } = await loadFixture(withDevicesFixture);
      expect(await registry.tokenURI(tokenIds[0])).to.equal(`https://devices.example/metadata/${tokenIds[0]}`);
      await expect(registry.setBaseURI("ipfs://meta/"))
        .to.emit(registry, "BaseURISet")
        .withArgs("ipfs://meta/")
        .and.to.emit(registry, "BatchMetadataUpdate")
        .withArgs(0n, 2n ** 256n - 1n);
      expect(await registry.tokenURI(tokenIds[0])).to.equal(`ipfs://meta/${tokenIds[0]}`);
    });
  });

  describe("makers", function () {
    it("adds a maker with the next id, enabled, and emits MakerConfigured", async function () {
      const { registry, makerAdmin, sponsor } = await loadFixture(deployRegistryFixture);
      const config = makerConfig({
        name: "Acme",
        signer: makerKey.address,
        sponsor: sponsor.address,
        classes: [HOTSPOT, SENSOR],
        quota: 7n,
      });
      await expect(registry.connect(makerAdmin).addMaker(config))
        .to.emit(registry, "MakerConfigured")
        .withArgs(1n, config.name, makerKey.address, sponsor.address, 0b101n, 7n);
      const m = await registry.maker(1n);
      expect([decodeName(m.name), m.signer, m.sponsor, m.allowedClasses, m.quota, m.minted, m.enabled]).to.deep.equal([
        "Acme",
        makerKey.address,
        sponsor.address,
        0b101n,
        7n,
        0n,
        true,
      ]);
      expect(await registry.makerCount()).to.equal(1n);
    });

    it("reverts with EmptyName or InvalidMakerSigner for a bad configuration", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      const good = makerConfig({ name: "A", signer: makerKey.address, sponsor: ZeroAddress, classes: [], quota: 0n });
      await expect(
        registry.connect(makerAdmin).addMaker({ ...good, name: ethers.ZeroHash }),
      ).to.be.revertedWithCustomError(registry, "EmptyName");
      await expect(registry.connect(makerAdmin).addMaker({ ...good, signer: ZeroAddress }))
        .to.be.revertedWithCustomError(registry, "InvalidMakerSigner")
        .withArgs(ZeroAddress);
    });

    it("updates a maker, keeping minted and enabled, and emits MakerConfigured", async function () {
      const { registry, makerAdmin, makerId } = await loadFixture(withDevicesFixture);
      await registry.connect(makerAdmin).setMakerEnabled(makerId, false);
      const config = makerConfig({
        name: "Acme 2",
        signer: makerKey.address,
        sponsor: ZeroAddress,
        classes: [SENSOR],
        quota: 9n,
      });
      await expect(registry.connect(makerAdmin).updateMaker(makerId, config))
        .to.emit(registry, "MakerConfigured")
        .withArgs(makerId, config.name, makerKey.address, ZeroAddress, 0b100n, 9n);
      const m = await registry.maker(makerId);
      expect([decodeName(m.name), m.allowedClasses, m.quota, m.minted, m.enabled]).to.deep.equal([
        "Acme 2",
        0b100n,
        9n,
        3n,
        false,
      ]);
    });

    it("reverts with UnknownMaker for an id that names no maker", async function () {
      const { registry, makerAdmin } = await loadFixture(withMakerFixture);
      for (const makerId of [0n, 2n]) {
        await expect(registry.connect(makerAdmin).setMakerEnabled(makerId, true))
          .to.be.revertedWithCustomError(registry, "UnknownMaker")
          .withArgs(makerId);
        await expect(registry.maker(makerId)).to.be.revertedWithCustomError(registry, "UnknownMaker").withArgs(makerId);
      }
    });

    it("enables and disables a maker with MakerEnabledSet", async function () {
      const { registry, makerAdmin, makerId } = await loadFixture(withMakerFixture);
      await expect(registry.connect(makerAdmin).setMakerEnabled(makerId, false))
        .to.emit(registry, "MakerEnabledSet")
        .withArgs(makerId, false);
      expect((await registry.maker(makerId)).enabled).to.equal(false);
      await expect(registry.connect(makerAdmin).setMakerEnabled(makerId, true))
        .to.emit(registry, "MakerEnabledSet")
        .withArgs(makerId, true);
      expect((await registry.maker(makerId)).enabled).to.equal(true);
    });
  });

  describe("device classes", function () {
    it("adds a class with the next id, enabled, and emits DeviceClassConfigured", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(makerAdmin).addDeviceClass(CLASS_CONFIG))
        .to.emit(registry, "DeviceClassConfigured")
        .withArgs(3n, CLASS_CONFIG.name, 8_000n, 10n, 1n);
      const c = await registry.deviceClass(3n);
      expect([c.multiplierBps, c.onboardingFee, c.locationFee, c.enabled]).to.deep.equal([8_000n, 10n, 1n, true]);
    });

    it("reverts with InvalidMultiplier for 0 or above MAX_MULTIPLIER_BPS, and EmptyName", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      for (const multiplierBps of [0n, 100_001n]) {
        await expect(registry.connect(makerAdmin).addDeviceClass({ ...CLASS_CONFIG, multiplierBps }))
          .to.be.revertedWithCustomError(registry, "InvalidMultiplier")
          .withArgs(multiplierBps);
      }
      await expect(
        registry.connect(makerAdmin).addDeviceClass({ ...CLASS_CONFIG, name: ethers.ZeroHash }),
      ).to.be.revertedWithCustomError(registry, "EmptyName");
    });

    it("reverts with TooManyDeviceClasses past 64 classes", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      for (let i = 3; i < 64; i++) await registry.connect(makerAdmin).addDeviceClass(CLASS_CONFIG);
      expect(await registry.deviceClassCount()).to.equal(64n);
      await expect(registry.connect(makerAdmin).addDeviceClass(CLASS_CONFIG))
        .to.be.revertedWithCustomError(registry, "TooManyDeviceClasses")
        .withArgs(64n);
    });

    it("updates a class and toggles it, with events", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(makerAdmin).updateDeviceClass(SENSOR, CLASS_CONFIG))
        .to.emit(registry, "DeviceClassConfigured")
        .withArgs(SENSOR, CLASS_CONFIG.name, 8_000n, 10n, 1n);
      await expect(registry.connect(makerAdmin).setDeviceClassEnabled(SENSOR, false))
        .to.emit(registry, "DeviceClassEnabledSet")
        .withArgs(SENSOR, false);
      const c = await registry.deviceClass(SENSOR);
      expect([decodeName(c.name), c.onboardingFee, c.enabled]).to.deep.equal(["drone", 10n, false]);
    });

    it("reverts with UnknownDeviceClass for an id past the count", async function () {
      const { registry, makerAdmin } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(makerAdmin).setDeviceClassEnabled(3n, true))
        .to.be.revertedWithCustomError(registry, "UnknownDeviceClass")
        .withArgs(3n);
      await expect(registry.deviceClass(3n)).to.be.revertedWithCustomError(registry, "UnknownDeviceClass").withArgs(3n);
    });
  });

  describe("onboard", function () {
    it("burns no credits for a class whose fees are zero, at onboarding and at each assertion", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const { registry, credits, alice, makerAdmin, makerId } = ctx;
      const free = { name: encodeName("sensor"), multiplierBps: 5_000n, onboardingFee: 0n, locationFee: 0n };
      await registry.connect(makerAdmin).updateDeviceClass(SENSOR, free);
      const device = deviceKey(8);
      const tokenId = tokenIdOf(device.address);
      const request = await requestFor(ctx, device, alice.address, { deviceClass: SENSOR });
      await expect(registry.connect(alice).onboard(request))
        .to.emit(registry, "DeviceOnboarded")
        .withArgs(tokenId, alice.address, makerId, SENSOR, alice.address, 0n)
        .and.not.to.emit(credits, "FeeBurned");
      await expect(registry.connect(alice).assertLocation(tokenId, CELL))
        .to.emit(registry, "LocationAsserted")
        .withArgs(tokenId, CELL, 1n)
        .and.not.to.emit(credits, "FeeBurned");
      expect(await registry.ownerOf(tokenId)).to.equal(alice.address);
      expect(await credits.balanceOf(alice.address)).to.equal(STARTING_CREDITS);
      expect(await credits.totalBurned()).to.equal(0n);
    });

    it("mints token uint160(device) to the owner, burns the owner's fee and records the device", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const { registry, credits, alice, makerId } = ctx;
      const device = deviceKey(7);
      const tokenId = tokenIdOf(device.address);
      const request = await requestFor(ctx, device, alice.address, { deviceClass: DASHCAM });
      const tx = registry.connect(alice).onboard(request);
      await expect(tx)
        .to.emit(registry, "DeviceOnboarded")
        .withArgs(tokenId, alice.address, makerId, DASHCAM, alice.address, ONBOARD_FEES[1])
        .and.to.emit(registry, "Transfer")
        .withArgs(ZeroAddress, alice.address, tokenId)
        .and.to.emit(credits, "FeeBurned")
        .withArgs(alice.address, ONBOARD_FEES[1], id("ONBOARD"));
      const at = BigInt(await time.latest());
      expect(await registry.ownerOf(tokenId)).to.equal(alice.address);
      expect(await registry.devicesOf(alice.address)).to.equal(1n);
      expect(await credits.balanceOf(alice.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[1]);
      expect(await credits.totalBurned()).to.equal(ONBOARD_FEES[1]);
      expect(await registry.onboardingNonce(device.address)).to.equal(1n);
      expect((await registry.maker(makerId)).minted).to.equal(1n);
      const info = await registry.deviceInfo(tokenId);
      expect({ ...(info as unknown as Result).toObject() }).to.deep.equal({
        owner: alice.address,
        rewardsRecipient: alice.address,
        makerId,
        deviceClass: DASHCAM,
        status: BigInt(DeviceStatus.Active),
        onboardedAt: at,
        location: 0n,
        assertionCount: 0n,
        suspensionReason: 0n,
        suspendedBy: ZeroAddress,
      });
    });

    it("accepts the signatures the TypeScript digests describe", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const request = await requestFor(ctx, deviceKey(7), ctx.alice.address);
      const attestation = { device: request.device, deviceClass: request.deviceClass, makerId: request.makerId };
      expect(await ecrecover(makerAttestationDigest(ctx.domain, attestation), request.makerSignature)).to.equal(
        makerKey.address,
      );
      const message = { owner: request.owner, nonce: 0n, deadline: request.deadline };
      expect(await ecrecover(onboardDigest(ctx.domain, message), request.deviceSignature)).to.equal(request.device);
      await expect(ctx.registry.connect(ctx.alice).onboard(request)).to.emit(ctx.registry, "DeviceOnboarded");
    });

    describe("signature checks", function () {
      for (const half of ["maker", "device"] as const) {
        const error = half === "maker" ? "InvalidMakerSignature" : "InvalidDeviceSignature";
        const args = (ctx: { makerId: bigint }, device: string) =>
          half === "maker" ? [ctx.makerId, device] : [device];

        /** A request whose `half` is signed over `domain` instead of the registry's. */
        const withDomain = async (ctx: Awaited<ReturnType<typeof withMakerFixture>>, domain: TypedDataDomain) => {
          const device = deviceKey(7);
          const request = await requestFor(ctx, device, ctx.alice.address);
          if (half === "maker") {
            return {
              ...request,
              makerSignature: await signMakerAttestation(makerKey, domain, {
                device: device.address,
                deviceClass: HOTSPOT,
                makerId: ctx.makerId,
              }),
            };
          }
          return {
            ...request,
            deviceSignature: await signOnboard(device, domain, {
              owner: ctx.alice.address,
              nonce: 0n,
              deadline: request.deadline,
            }),
          };
        };

        it(`reverts with ${error} when the ${half} signed for another chain id`, async function () {
          const ctx = await loadFixture(withMakerFixture);
          const request = await withDomain(ctx, registryDomain(ctx.chainId + 1n, await ctx.registry.getAddress()));
          await expect(ctx.registry.connect(ctx.alice).onboard(request))
            .to.be.revertedWithCustomError(ctx.registry, error)
            .withArgs(...args(ctx, request.device));
        });

        it(`reverts with ${error} when the ${half} signed for another verifying contract`, async function () {
          const ctx = await loadFixture(withMakerFixture);
          const request = await withDomain(ctx, registryDomain(ctx.chainId, await ctx.credits.getAddress()));
          await expect(ctx.registry.connect(ctx.alice).onboard(request))
            .to.be.revertedWithCustomError(ctx.registry, error)
            .withArgs(...args(ctx, request.device));
        });

        it(`reverts with ${error} for a high-s (malleable) ${half} signature that ecrecover accepts`, async function () {
          const ctx = await loadFixture(withMakerFixture);
          const request = await requestFor(ctx, deviceKey(7), ctx.alice.address);
          const digest =
            half === "maker"
              ? makerAttestationDigest(ctx.domain, {
                  device: request.device,
                  deviceClass: HOTSPOT,
                  makerId: ctx.makerId,
                })
              : onboardDigest(ctx.domain, { owner: ctx.alice.address, nonce: 0n, deadline: request.deadline });
          const original = half === "maker" ? request.makerSignature : request.deviceSignature;
          const malleated = highS(original);
          const signer = half === "maker" ? makerKey.address : request.device;
          expect(await ecrecover(digest, malleated), "the malleated signature recovers the signer").to.equal(signer);
          const tampered =
            half === "maker" ? { ...request, makerSignature: malleated } : { ...request, deviceSignature: malleated };
          await expect(ctx.registry.connect(ctx.alice).onboard(tampered))
            .to.be.revertedWithCustomError(ctx.registry, error)
            .withArgs(...args(ctx, request.device));
        });
      }

      it("reverts with the matching error when any field changes after signing", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const { registry, alice, bob, makerAdmin } = ctx;
        // A second maker with another key, allowed every class.
        const other = new Wallet(id("depin.test.other-maker"));
        await addMaker(registry.connect(makerAdmin), {
          name: "Other",
          signer: other.address,
          sponsor: ZeroAddress,
          classes: [HOTSPOT, DASHCAM, SENSOR],
          quota: 0n,
        });
        const request = await requestFor(ctx, deviceKey(7), alice.address);
        const cases: [Partial<OnboardRequest>, string, unknown[]][] = [
          [{ device: deviceKey(8).address }, "InvalidMakerSignature", [ctx.makerId, deviceKey(8).address]],
          [{ deviceClass: DASHCAM }, "InvalidMakerSignature", [ctx.makerId, request.device]],
          [{ makerId: 2n }, "InvalidMakerSignature", [2n, request.device]],
          [{ owner: bob.address }, "InvalidDeviceSignature", [request.device]],
          [{ deadline: request.deadline + 1n }, "InvalidDeviceSignature", [request.device]],
        ];
        for (const [change, error, args] of cases) {
          await expect(
            registry.connect(alice).onboard({ ...request, ...change }),
            JSON.stringify(change, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
          )
            .to.be.revertedWithCustomError(registry, error)
            .withArgs(...args);
        }
        await expect(registry.connect(alice).onboard(request)).to.emit(registry, "DeviceOnboarded");
      });

      it("reverts with OnboardingExpired after the deadline", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const deadline = BigInt(await time.latest()) + 10n;
        const request = await requestFor(ctx, deviceKey(7), ctx.alice.address, { deadline });
        await time.setNextBlockTimestamp(deadline + 1n);
        await expect(ctx.registry.connect(ctx.alice).onboard(request))
          .to.be.revertedWithCustomError(ctx.registry, "OnboardingExpired")
          .withArgs(deadline, deadline + 1n);
      });

      it("reverts with InvalidDeviceSignature for a nonce the device key burned", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const device = deviceKey(7).connect(ethers.provider);
        await ctx.deployer.sendTransaction({ to: device.address, value: ethers.parseEther("1") });
        const stale = await requestFor(ctx, device, ctx.alice.address);
        await expect(ctx.registry.connect(device).useOnboardingNonce())
          .to.emit(ctx.registry, "OnboardingNonceUsed")
          .withArgs(device.address, 0n);
        expect(await ctx.registry.onboardingNonce(device.address)).to.equal(1n);
        await expect(ctx.registry.connect(ctx.alice).onboard(stale))
          .to.be.revertedWithCustomError(ctx.registry, "InvalidDeviceSignature")
          .withArgs(device.address);
        const fresh = await requestFor(ctx, device, ctx.alice.address);
        await expect(ctx.registry.connect(ctx.alice).onboard(fresh)).to.emit(ctx.registry, "DeviceOnboarded");
        expect(await ctx.registry.onboardingNonce(device.address)).to.equal(2n);
      });

      it("reverts with InvalidMakerSignature for a key that is not the maker's", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const impostor = new Wallet(id("depin.test.impostor"));
        const request = await requestFor(ctx, deviceKey(7), ctx.alice.address, { maker: impostor });
        await expect(ctx.registry.connect(ctx.alice).onboard(request))
          .to.be.revertedWithCustomError(ctx.registry, "InvalidMakerSignature")
          .withArgs(ctx.makerId, request.device);
      });

      it("reverts with MakerDisabled for a disabled maker", async function () {
        const ctx = await loadFixture(withMakerFixture);
        await ctx.registry.connect(ctx.makerAdmin).setMakerEnabled(ctx.makerId, false);
        const request = await requestFor(ctx, deviceKey(7), ctx.alice.address);
        await expect(ctx.registry.connect(ctx.alice).onboard(request))
          .to.be.revertedWithCustomError(ctx.registry, "MakerDisabled")
          .withArgs(ctx.makerId);
      });

      it("reverts with DeviceClassNotAllowed for a class the maker may not build", async function () {
        const ctx = await loadFixture(withMakerFixture);
        await ctx.registry.connect(ctx.makerAdmin).updateMaker(
          ctx.makerId,
          makerConfig({
            name: "Acme",
            signer: makerKey.address,
            sponsor: ZeroAddress,
            classes: [HOTSPOT],
            quota: 0n,
          }),
        );
        const request = await requestFor(ctx, deviceKey(7), ctx.alice.address, { deviceClass: SENSOR });
        await expect(ctx.registry.connect(ctx.alice).onboard(request))
          .to.be.revertedWithCustomError(ctx.registry, "DeviceClassNotAllowed")
          .withArgs(ctx.makerId, SENSOR);
      });

      it("reverts with DeviceClassDisabled for a disabled class", async function () {
        const ctx = await loadFixture(withMakerFixture);
        await ctx.registry.connect(ctx.makerAdmin).setDeviceClassEnabled(DASHCAM, false);
        const request = await requestFor(ctx, deviceKey(7), ctx.alice.address, { deviceClass: DASHCAM });
        await expect(ctx.registry.connect(ctx.alice).onboard(request))
          .to.be.revertedWithCustomError(ctx.registry, "DeviceClassDisabled")
          .withArgs(DASHCAM);
      });

      it("reverts with UnknownMaker and UnknownDeviceClass for ids that name nothing", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const unknownMaker = await requestFor(ctx, deviceKey(7), ctx.alice.address, { makerId: 5n });
        await expect(ctx.registry.connect(ctx.alice).onboard(unknownMaker))
          .to.be.revertedWithCustomError(ctx.registry, "UnknownMaker")
          .withArgs(5n);
        const makerZero = await requestFor(ctx, deviceKey(7), ctx.alice.address, { makerId: 0n });
        await expect(ctx.registry.connect(ctx.alice).onboard(makerZero))
          .to.be.revertedWithCustomError(ctx.registry, "UnknownMaker")
          .withArgs(0n);
        const unknownClass = await requestFor(ctx, deviceKey(7), ctx.alice.address, { deviceClass: 9n });
        await expect(ctx.registry.connect(ctx.alice).onboard(unknownClass))
          .to.be.revertedWithCustomError(ctx.registry, "UnknownDeviceClass")
          .withArgs(9n);
      });

      it("accepts an ERC-1271 maker signer and rejects what its owner key did not sign", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const wallet = await new RegistryMockERC1271Wallet__factory(ctx.deployer).deploy(makerKey.address);
        await ctx.registry.connect(ctx.makerAdmin).updateMaker(
          ctx.makerId,
          makerConfig({
            name: "Safe maker",
            signer: await wallet.getAddress(),
            sponsor: ZeroAddress,
            classes: [HOTSPOT],
            quota: 0n,
          }),
        );
        await expect(
          ctx.registry.connect(ctx.alice).onboard(await requestFor(ctx, deviceKey(7), ctx.alice.address)),
        ).to.emit(ctx.registry, "DeviceOnboarded");
        const forged = await requestFor(ctx, deviceKey(8), ctx.alice.address, { maker: new Wallet(id("x")) });
        await expect(ctx.registry.connect(ctx.alice).onboard(forged))
          .to.be.revertedWithCustomError(ctx.registry, "InvalidMakerSignature")
          .withArgs(ctx.makerId, forged.device);
      });
    });

    it("reverts with DeviceAlreadyOnboarded for a used key, whatever the maker or owner, even after decommission", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { registry, alice, bob, makerAdmin } = ctx;
      const other = new Wallet(id("depin.test.other-maker"));
      await addMaker(registry.connect(makerAdmin), {
        name: "Other",
        signer: other.address,
        sponsor: ZeroAddress,
        classes: [HOTSPOT],
        quota: 0n,
      });
      const used = ctx.keys[0];
      for (const [owner, sender, maker, makerId] of [
        [alice, alice, makerKey, ctx.makerId],
        [bob, bob, makerKey, ctx.makerId],
        [bob, bob, other, 2n],
      ] as const) {
        const request = await requestFor(ctx, used, owner.address, { maker, makerId });
        await expect(registry.connect(sender).onboard(request))
          .to.be.revertedWithCustomError(registry, "DeviceAlreadyOnboarded")
          .withArgs(used.address);
      }
      await registry.connect(alice).decommission(ctx.tokenIds[0]);
      await expect(registry.connect(alice).onboard(await requestFor(ctx, used, alice.address)))
        .to.be.revertedWithCustomError(registry, "DeviceAlreadyOnboarded")
        .withArgs(used.address);
    });

    it("keeps a disabled maker's devices valid while it attests nothing new", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { registry, alice, bob, makerAdmin, makerId, tokenIds } = ctx;
      await registry.connect(makerAdmin).setMakerEnabled(makerId, false);
      await expect(registry.connect(alice).onboard(await requestFor(ctx, deviceKey(9), alice.address)))
        .to.be.revertedWithCustomError(registry, "MakerDisabled")
        .withArgs(makerId);
      expect((await registry.deviceInfo(tokenIds[0])).status).to.equal(BigInt(DeviceStatus.Active));
      await expect(registry.connect(alice).assertLocation(tokenIds[0], CELL)).to.emit(registry, "LocationAsserted");
      await registry.connect(alice).transferFrom(alice.address, bob.address, tokenIds[1]);
      expect(await registry.ownerOf(tokenIds[1])).to.equal(bob.address);
    });

    it("reverts with MakerQuotaExceeded past the maker's quota", async function () {
      const ctx = await loadFixture(withMakerFixture);
      await ctx.registry
        .connect(ctx.makerAdmin)
        .updateMaker(
          ctx.makerId,
          makerConfig({ name: "Acme", signer: makerKey.address, sponsor: ZeroAddress, classes: [HOTSPOT], quota: 1n }),
        );
      await ctx.registry.connect(ctx.alice).onboard(await requestFor(ctx, deviceKey(7), ctx.alice.address));
      await expect(ctx.registry.connect(ctx.alice).onboard(await requestFor(ctx, deviceKey(8), ctx.alice.address)))
        .to.be.revertedWithCustomError(ctx.registry, "MakerQuotaExceeded")
        .withArgs(ctx.makerId, 1n);
    });

    it("charges the caller when no sponsor pays: the owner's operator pays for itself, never the owner", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const { registry, credits, alice, carol, stranger, makerId } = ctx;
      await registry.connect(alice).setApprovalForAll(carol.address, true);
      const tokenId = tokenIdOf(deviceKey(7).address);
      await expect(registry.connect(carol).onboard(await requestFor(ctx, deviceKey(7), alice.address)))
        .to.emit(registry, "DeviceOnboarded")
        .withArgs(tokenId, alice.address, makerId, HOTSPOT, carol.address, ONBOARD_FEES[0])
        .and.to.emit(credits, "FeeBurned")
        .withArgs(carol.address, ONBOARD_FEES[0], id("ONBOARD"));
      expect(await registry.ownerOf(tokenId)).to.equal(alice.address);
      expect(await credits.balanceOf(carol.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[0]);
      // A caller with no credits, approved or not, is refused with the credits' error naming it.
      const request = await requestFor(ctx, deviceKey(8), alice.address);
      await expect(registry.connect(stranger).onboard(request))
        .to.be.revertedWithCustomError(credits, "RegistryMockInsufficientCredits")
        .withArgs(stranger.address, 0n, ONBOARD_FEES[0]);
      await registry.connect(alice).setApprovalForAll(stranger.address, true);
      await expect(registry.connect(stranger).onboard(request))
        .to.be.revertedWithCustomError(credits, "RegistryMockInsufficientCredits")
        .withArgs(stranger.address, 0n, ONBOARD_FEES[0]);
      expect(await credits.balanceOf(alice.address)).to.equal(STARTING_CREDITS);
      expect(await registry.devicesOf(alice.address)).to.equal(1n);
    });

    it("refuses the zero owner with ERC721InvalidReceiver, sponsored or not", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const request = await requestFor(ctx, deviceKey(7), ZeroAddress);
      await expect(ctx.registry.connect(ctx.alice).onboard(request))
        .to.be.revertedWithCustomError(ctx.registry, "ERC721InvalidReceiver")
        .withArgs(ZeroAddress);
      await ctx.registry.connect(ctx.makerAdmin).updateMaker(
        ctx.makerId,
        makerConfig({
          name: "Acme",
          signer: makerKey.address,
          sponsor: ctx.sponsor.address,
          classes: [HOTSPOT],
          quota: 0n,
        }),
      );
      await ctx.credits.credit(ctx.sponsor.address, ONBOARD_FEES[0]);
      await expect(ctx.registry.connect(ctx.alice).onboard(request))
        .to.be.revertedWithCustomError(ctx.registry, "ERC721InvalidReceiver")
        .withArgs(ZeroAddress);
      expect(await ctx.credits.balanceOf(ctx.alice.address)).to.equal(STARTING_CREDITS);
    });

    it("burns the sponsor's credits when the maker sponsors, whoever sends it", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const { registry, credits, sponsor, stranger, alice, makerId } = ctx;
      await registry.connect(ctx.makerAdmin).updateMaker(
        makerId,
        makerConfig({
          name: "Acme",
          signer: makerKey.address,
          sponsor: sponsor.address,
          classes: [HOTSPOT],
          quota: 0n,
        }),
      );
      await credits.credit(sponsor.address, ONBOARD_FEES[0]);
      const tokenId = tokenIdOf(deviceKey(7).address);
      await expect(registry.connect(stranger).onboard(await requestFor(ctx, deviceKey(7), alice.address)))
        .to.emit(registry, "DeviceOnboarded")
        .withArgs(tokenId, alice.address, makerId, HOTSPOT, sponsor.address, ONBOARD_FEES[0]);
      expect(await credits.balanceOf(sponsor.address)).to.equal(0n);
      expect(await credits.balanceOf(alice.address)).to.equal(STARTING_CREDITS);
      await expect(registry.connect(stranger).onboard(await requestFor(ctx, deviceKey(8), alice.address)))
        .to.be.revertedWithCustomError(credits, "RegistryMockInsufficientCredits")
        .withArgs(sponsor.address, 0n, ONBOARD_FEES[0]);
    });

    it("reverts with the credits' error when the caller is short of credits", async function () {
      const ctx = await loadFixture(withMakerFixture);
      await expect(
        ctx.registry.connect(ctx.stranger).onboard(await requestFor(ctx, deviceKey(7), ctx.stranger.address)),
      )
        .to.be.revertedWithCustomError(ctx.credits, "RegistryMockInsufficientCredits")
        .withArgs(ctx.stranger.address, 0n, ONBOARD_FEES[0]);
      await expect(ctx.registry.deviceInfo(tokenIdOf(deviceKey(7).address)))
        .to.be.revertedWithCustomError(ctx.registry, "UnknownDevice")
        .withArgs(tokenIdOf(deviceKey(7).address));
    });

    it("onboards to an ERC-1271 smart wallet that sends it", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const wallet = await new RegistryMockERC1271Wallet__factory(ctx.deployer).deploy(ctx.alice.address);
      const owner = await wallet.getAddress();
      await ctx.credits.credit(owner, ONBOARD_FEES[0]);
      await wallet.onboard(await ctx.registry.getAddress(), await requestFor(ctx, deviceKey(7), owner));
      expect(await ctx.registry.ownerOf(tokenIdOf(deviceKey(7).address))).to.equal(owner);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const ctx = await loadFixture(withMakerFixture);
      await ctx.registry.connect(ctx.guardian).pause();
      const request = await requestFor(ctx, deviceKey(7), ctx.alice.address);
      await expect(ctx.registry.connect(ctx.alice).onboard(request)).to.be.revertedWithCustomError(
        ctx.registry,
        "EnforcedPause",
      );
      await expect(ctx.registry.connect(ctx.alice).batchOnboard([request])).to.be.revertedWithCustomError(
        ctx.registry,
        "EnforcedPause",
      );
    });

    describe("a receiver that re-enters from onERC721Received", function () {
      it("cannot onboard the same device twice", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const receiver = await new RegistryMockReentrantReceiver__factory(ctx.deployer).deploy(
          await ctx.registry.getAddress(),
        );
        const owner = await receiver.getAddress();
        await ctx.credits.credit(owner, 10n * ONBOARD_FEES[0]);
        const request = await requestFor(ctx, deviceKey(7), owner);
        await receiver.arm(request);
        await receiver.onboard(request);
        expect(await receiver.reentrySucceeded()).to.equal(false);
        expect(await receiver.reentryError()).to.equal(
          ctx.registry.interface.encodeErrorResult("DeviceAlreadyOnboarded", [request.device]),
        );
        expect(await receiver.received()).to.equal(1n);
        expect(await ctx.registry.devicesOf(owner)).to.equal(1n);
        expect(await ctx.credits.balanceOf(owner)).to.equal(9n * ONBOARD_FEES[0]);
        expect(await ctx.credits.totalBurned()).to.equal(ONBOARD_FEES[0]);
      });

      it("pays the fee of every device it onboards on re-entry", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const receiver = await new RegistryMockReentrantReceiver__factory(ctx.deployer).deploy(
          await ctx.registry.getAddress(),
        );
        const owner = await receiver.getAddress();
        await ctx.credits.credit(owner, ONBOARD_FEES[0] + ONBOARD_FEES[1]);
        await receiver.arm(await requestFor(ctx, deviceKey(8), owner, { deviceClass: DASHCAM }));
        await receiver.onboard(await requestFor(ctx, deviceKey(7), owner));
        expect(await receiver.reentrySucceeded()).to.equal(true);
        expect(await ctx.registry.devicesOf(owner)).to.equal(2n);
        expect(await ctx.credits.balanceOf(owner)).to.equal(0n);
        expect(await ctx.credits.totalBurned()).to.equal(ONBOARD_FEES[0] + ONBOARD_FEES[1]);
      });

      it("cannot skip the fee: a short receiver's re-entry fails and only the first device exists", async function () {
        const ctx = await loadFixture(withMakerFixture);
        const receiver = await new RegistryMockReentrantReceiver__factory(ctx.deployer).deploy(
          await ctx.registry.getAddress(),
        );
        const owner = await receiver.getAddress();
        await ctx.credits.credit(owner, ONBOARD_FEES[0]);
        await receiver.arm(await requestFor(ctx, deviceKey(8), owner));
        await receiver.onboard(await requestFor(ctx, deviceKey(7), owner));
        expect(await receiver.reentrySucceeded()).to.equal(false);
        expect(await receiver.reentryError()).to.equal(
          ctx.credits.interface.encodeErrorResult("RegistryMockInsufficientCredits", [owner, 0n, ONBOARD_FEES[0]]),
        );
        expect(await ctx.registry.devicesOf(owner)).to.equal(1n);
        await expect(ctx.registry.ownerOf(tokenIdOf(deviceKey(8).address))).to.be.revertedWithCustomError(
          ctx.registry,
          "ERC721NonexistentToken",
        );
      });
    });
  });

  describe("batchOnboard", function () {
    it("onboards a fleet in one transaction and burns each device's fee", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const keys = [3, 4, 5, 6, 7].map(deviceKey);
      const requests = [];
      for (const key of keys) requests.push(await requestFor(ctx, key, ctx.carol.address, { deviceClass: SENSOR }));
      const tx = ctx.registry.connect(ctx.carol).batchOnboard(requests);
      for (const key of keys) {
        await expect(tx)
          .to.emit(ctx.registry, "DeviceOnboarded")
          .withArgs(tokenIdOf(key.address), ctx.carol.address, ctx.makerId, SENSOR, ctx.carol.address, ONBOARD_FEES[2]);
      }
      expect(await ctx.registry.devicesOf(ctx.carol.address)).to.equal(5n);
      expect(await ctx.credits.balanceOf(ctx.carol.address)).to.equal(STARTING_CREDITS - 5n * ONBOARD_FEES[2]);
    });

    it("reverts as a whole when one device fails, even after a skip, and with EmptyBatch for none", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const used = await requestFor(ctx, deviceKey(5), ctx.carol.address);
      await ctx.registry.connect(ctx.carol).onboard(used);
      const good = await requestFor(ctx, deviceKey(3), ctx.carol.address);
      const signed = await requestFor(ctx, deviceKey(4), ctx.carol.address);
      const bad = { ...signed, deadline: signed.deadline + 1n };
      await expect(ctx.registry.connect(ctx.carol).batchOnboard([used, good, bad]))
        .to.be.revertedWithCustomError(ctx.registry, "InvalidDeviceSignature")
        .withArgs(bad.device);
      expect(await ctx.registry.devicesOf(ctx.carol.address)).to.equal(1n);
      expect(await ctx.credits.balanceOf(ctx.carol.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[0]);
      await expect(ctx.registry.batchOnboard([])).to.be.revertedWithCustomError(ctx.registry, "EmptyBatch");
    });

    it("skips a device a front-runner onboarded alone: the rest of a sponsored batch onboards, the skipped one is reported and burns no fee", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const { registry, credits, makerAdmin, sponsor, stranger, carol, makerId } = ctx;
      await registry.connect(makerAdmin).updateMaker(
        makerId,
        makerConfig({
          name: "Acme",
          signer: makerKey.address,
          sponsor: sponsor.address,
          classes: [SENSOR],
          quota: 0n,
        }),
      );
      await credits.credit(sponsor.address, 3n * ONBOARD_FEES[2]);
      const keys = [3, 4, 5].map(deviceKey);
      const requests = [];
      for (const key of keys) requests.push(await requestFor(ctx, key, carol.address, { deviceClass: SENSOR }));
      // The front-runner sees the batch and onboards its second device alone (the sponsor pays that fee once).
      await registry.connect(stranger).onboard(requests[1]);
      const burned = await credits.totalBurned();

      const ids = [tokenIdOf(keys[0].address), 0n, tokenIdOf(keys[2].address)];
      expect(await registry.connect(carol).batchOnboard.staticCall(requests)).to.deep.equal(ids);
      const tx = registry.connect(carol).batchOnboard(requests);
      await expect(tx).to.emit(registry, "OnboardingSkipped").withArgs(keys[1].address);
      for (const key of [keys[0], keys[2]]) {
        await expect(tx)
          .to.emit(registry, "DeviceOnboarded")
          .withArgs(tokenIdOf(key.address), carol.address, makerId, SENSOR, sponsor.address, ONBOARD_FEES[2]);
      }
      const receipt = await (await tx).wait();
      const burns = receipt!.logs.filter((log) => credits.interface.parseLog(log)?.name === "FeeBurned");
      expect(burns.length).to.equal(2);
      expect(await credits.totalBurned()).to.equal(burned + 2n * ONBOARD_FEES[2]);
      expect(await credits.balanceOf(sponsor.address)).to.equal(0n);
      expect(await credits.balanceOf(carol.address)).to.equal(STARTING_CREDITS);
      expect(await registry.devicesOf(carol.address)).to.equal(3n);
      expect((await registry.maker(makerId)).minted).to.equal(3n);
      expect(await registry.onboardingNonce(keys[1].address)).to.equal(1n);
    });

    it("skips a device listed twice in one batch, and a batch where every device is onboarded already", async function () {
      const ctx = await loadFixture(withMakerFixture);
      const good = await requestFor(ctx, deviceKey(3), ctx.carol.address);
      const tokenId = tokenIdOf(good.device);
      expect(await ctx.registry.connect(ctx.carol).batchOnboard.staticCall([good, good])).to.deep.equal([tokenId, 0n]);
      await expect(ctx.registry.connect(ctx.carol).batchOnboard([good, good]))
        .to.emit(ctx.registry, "OnboardingSkipped")
        .withArgs(good.device);
      expect(await ctx.credits.balanceOf(ctx.carol.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[0]);
      await expect(ctx.registry.connect(ctx.carol).batchOnboard([good]))
        .to.emit(ctx.registry, "OnboardingSkipped")
        .withArgs(good.device)
        .and.not.to.emit(ctx.registry, "DeviceOnboarded");
      expect(await ctx.registry.devicesOf(ctx.carol.address)).to.equal(1n);
      // A single onboarding of a used key still reverts.
      await expect(ctx.registry.connect(ctx.carol).onboard(good))
        .to.be.revertedWithCustomError(ctx.registry, "DeviceAlreadyOnboarded")
        .withArgs(good.device);
    });
  });

  describe("assertLocation", function () {
    it("records the cell, bumps the count, burns the caller's fee and emits LocationAsserted and MetadataUpdate", async function () {
      const { registry, credits, alice, tokenIds } = await loadFixture(withDevicesFixture);
      const cell = 0x8928308280fffffn;
      const before = await credits.balanceOf(alice.address);
      await expect(registry.connect(alice).assertLocation(tokenIds[1], cell))
        .to.emit(registry, "LocationAsserted")
        .withArgs(tokenIds[1], cell, 1n)
        .and.to.emit(registry, "MetadataUpdate")
        .withArgs(tokenIds[1])
        .and.to.emit(credits, "FeeBurned")
        .withArgs(alice.address, LOCATION_FEES[1], id("ASSERT_LOCATION"));
      await registry.connect(alice).assertLocation(tokenIds[1], CELL);
      const info = await registry.deviceInfo(tokenIds[1]);
      expect([info.location, info.assertionCount]).to.deep.equal([CELL, 2n]);
      expect(await credits.balanceOf(alice.address)).to.equal(before - 2n * LOCATION_FEES[1]);
    });

    it("charges an approved operator's assertions to the operator: however many, the owner's credits stay", async function () {
      const { registry, credits, bob, carol, tokenIds } = await loadFixture(withDevicesFixture);
      const owned = await credits.balanceOf(bob.address);
      await registry.connect(bob).approve(carol.address, tokenIds[2]);
      for (let count = 1n; count <= 3n; count++) {
        await expect(registry.connect(carol).assertLocation(tokenIds[2], CELL))
          .to.emit(registry, "LocationAsserted")
          .withArgs(tokenIds[2], CELL, count)
          .and.to.emit(credits, "FeeBurned")
          .withArgs(carol.address, LOCATION_FEES[2], id("ASSERT_LOCATION"));
      }
      expect(await credits.balanceOf(bob.address)).to.equal(owned);
      expect(await credits.balanceOf(carol.address)).to.equal(STARTING_CREDITS - 3n * LOCATION_FEES[2]);
      expect((await registry.deviceInfo(tokenIds[2])).assertionCount).to.equal(3n);
    });

    it("refuses an approved operator with no credits with the credits' error naming it, and changes nothing", async function () {
      const { registry, credits, bob, stranger, tokenIds } = await loadFixture(withDevicesFixture);
      const owned = await credits.balanceOf(bob.address);
      await registry.connect(bob).approve(stranger.address, tokenIds[2]);
      await expect(registry.connect(stranger).assertLocation(tokenIds[2], CELL))
        .to.be.revertedWithCustomError(credits, "RegistryMockInsufficientCredits")
        .withArgs(stranger.address, 0n, LOCATION_FEES[2]);
      const info = await registry.deviceInfo(tokenIds[2]);
      expect([info.location, info.assertionCount]).to.deep.equal([0n, 0n]);
      expect(await credits.balanceOf(bob.address)).to.equal(owned);
    });

    it("reverts with ERC721InsufficientApproval for a stranger and ERC721NonexistentToken for no token", async function () {
      const { registry, stranger, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(stranger).assertLocation(tokenIds[0], CELL))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, tokenIds[0]);
      await expect(registry.connect(stranger).assertLocation(123n, CELL))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(123n);
    });

    it("reverts with InvalidH3Cell for a malformed index", async function () {
      const { registry, alice, tokenIds } = await loadFixture(withDevicesFixture);
      const bad = [
        0n, // mode 0
        CELL | (1n << 63n), // reserved bit
        (CELL & ~(0xfn << 59n)) | (2n << 59n), // mode 2 (an edge)
        CELL | (1n << 56n), // mode-dependent bits
        (CELL & ~(0x7fn << 45n)) | (122n << 45n), // base cell 122
        CELL & ~7n, // resolution 10 with digit 15 not 7
        CELL | (7n << 15n), // digit 10 is 7, within the resolution
      ];
      for (const cell of bad) {
        await expect(registry.connect(alice).assertLocation(tokenIds[0], cell), cell.toString(16))
          .to.be.revertedWithCustomError(registry, "InvalidH3Cell")
          .withArgs(cell);
      }
    });

    it("reverts with InvalidDeviceStatus for a suspended device and EnforcedPause while paused", async function () {
      const { registry, alice, oracle, guardian, tokenIds } = await loadFixture(withDevicesFixture);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await expect(registry.connect(alice).assertLocation(tokenIds[0], CELL))
        .to.be.revertedWithCustomError(registry, "InvalidDeviceStatus")
        .withArgs(tokenIds[0], DeviceStatus.Suspended);
      await registry.connect(guardian).pause();
      await expect(registry.connect(alice).assertLocation(tokenIds[1], CELL)).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
    });
  });

  describe("isValidH3Cell", function () {
    it("accepts cells of every resolution 0-15 and rejects the pentagon-free bad layouts", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      // Base cell 20 at each resolution, digits 0 up to it, then 7.
      for (let res = 0n; res <= 15n; res++) {
        const unused = (15n - res) * 3n;
        const cell = (1n << 59n) | (res << 52n) | (20n << 45n) | ((1n << unused) - 1n);
        expect(await registry.isValidH3Cell(cell), `res ${res}`).to.equal(true);
      }
      expect(await registry.isValidH3Cell(CELL)).to.equal(true);
      expect(await registry.isValidH3Cell(0x8a2a1072b59fffen)).to.equal(false);
    });
  });

  describe("suspend, guardianSuspend and reinstate", function () {
    it("lets an oracle suspend with a reason, and governance reinstate, with events", async function () {
      const { registry, oracle, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(oracle).suspend(tokenIds[0], 7n))
        .to.emit(registry, "DeviceSuspended")
        .withArgs(tokenIds[0], 7n, oracle.address)
        .and.to.emit(registry, "MetadataUpdate")
        .withArgs(tokenIds[0]);
      let info = await registry.deviceInfo(tokenIds[0]);
      expect([info.status, info.suspensionReason, info.suspendedBy]).to.deep.equal([
        BigInt(DeviceStatus.Suspended),
        7n,
        oracle.address,
      ]);
      await expect(registry.reinstate(tokenIds[0]))
        .to.emit(registry, "DeviceReinstated")
        .withArgs(tokenIds[0])
        .and.to.emit(registry, "MetadataUpdate")
        .withArgs(tokenIds[0]);
      info = await registry.deviceInfo(tokenIds[0]);
      // The suspension's reason and author stay on the record after the reinstatement.
      expect([info.status, info.suspensionReason, info.suspendedBy]).to.deep.equal([
        BigInt(DeviceStatus.Active),
        7n,
        oracle.address,
      ]);
    });

    it("lets the guardian suspend through its own entry point", async function () {
      const { registry, guardian, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(guardian).guardianSuspend(tokenIds[1], 2n))
        .to.emit(registry, "DeviceSuspended")
        .withArgs(tokenIds[1], 2n, guardian.address);
      const info = await registry.deviceInfo(tokenIds[1]);
      expect([info.status, info.suspendedBy]).to.deep.equal([BigInt(DeviceStatus.Suspended), guardian.address]);
    });

    it("reverts with InvalidDeviceStatus for a suspension twice or a reinstatement of an active device", async function () {
      const { registry, oracle, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.reinstate(tokenIds[0]))
        .to.be.revertedWithCustomError(registry, "InvalidDeviceStatus")
        .withArgs(tokenIds[0], DeviceStatus.Active);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await expect(registry.connect(oracle).suspend(tokenIds[0], 1n))
        .to.be.revertedWithCustomError(registry, "InvalidDeviceStatus")
        .withArgs(tokenIds[0], DeviceStatus.Suspended);
    });

    it("reverts with UnknownDevice for a key that never onboarded", async function () {
      const { registry, oracle } = await loadFixture(withDevicesFixture);
      for (const tokenId of [5n, 2n ** 160n]) {
        await expect(registry.connect(oracle).suspend(tokenId, 1n))
          .to.be.revertedWithCustomError(registry, "UnknownDevice")
          .withArgs(tokenId);
      }
    });

    it("keeps a suspended device counted in devicesOf", async function () {
      const { registry, oracle, alice, tokenIds } = await loadFixture(withDevicesFixture);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      expect(await registry.devicesOf(alice.address)).to.equal(2n);
    });
  });

  describe("decommission", function () {
    it("burns the token, marks the device Decommissioned and keeps its record", async function () {
      const { registry, alice, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(alice).decommission(tokenIds[0]))
        .to.emit(registry, "DeviceDecommissioned")
        .withArgs(tokenIds[0], alice.address)
        .and.to.emit(registry, "Transfer")
        .withArgs(alice.address, ZeroAddress, tokenIds[0]);
      await expect(registry.ownerOf(tokenIds[0])).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken");
      const info = await registry.deviceInfo(tokenIds[0]);
      expect([info.owner, info.rewardsRecipient, info.status, info.location]).to.deep.equal([
        ZeroAddress,
        ZeroAddress,
        BigInt(DeviceStatus.Decommissioned),
        CELL,
      ]);
      expect(await registry.devicesOf(alice.address)).to.equal(1n);
    });

    it("works on a suspended device, and reverts for a stranger", async function () {
      const { registry, alice, oracle, stranger, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(stranger).decommission(tokenIds[0]))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, tokenIds[0]);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await expect(registry.connect(alice).decommission(tokenIds[0])).to.emit(registry, "DeviceDecommissioned");
      await expect(registry.reinstate(tokenIds[0]))
        .to.be.revertedWithCustomError(registry, "InvalidDeviceStatus")
        .withArgs(tokenIds[0], DeviceStatus.Decommissioned);
    });
  });

  describe("setRewardsRecipient", function () {
    it("defaults to the owner, is set by the owner, and resets to the new owner on transfer", async function () {
      const { registry, alice, bob, carol, tokenIds } = await loadFixture(withDevicesFixture);
      expect((await registry.deviceInfo(tokenIds[0])).rewardsRecipient).to.equal(alice.address);
      await expect(registry.connect(alice).setRewardsRecipient(tokenIds[0], carol.address))
        .to.emit(registry, "RewardsRecipientSet")
        .withArgs(tokenIds[0], carol.address);
      expect((await registry.deviceInfo(tokenIds[0])).rewardsRecipient).to.equal(carol.address);
      await expect(registry.connect(alice).transferFrom(alice.address, bob.address, tokenIds[0]))
        .to.emit(registry, "RewardsRecipientSet")
        .withArgs(tokenIds[0], ZeroAddress);
      expect((await registry.deviceInfo(tokenIds[0])).rewardsRecipient).to.equal(bob.address);
    });

    it("reverts with ERC721InsufficientApproval for a stranger", async function () {
      const { registry, stranger, tokenIds } = await loadFixture(withDevicesFixture);
      await expect(registry.connect(stranger).setRewardsRecipient(tokenIds[0], stranger.address))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, tokenIds[0]);
    });
  });

  describe("pause and unpause", function () {
    it("pauses (guardian) and unpauses (governance) with events, and reverts with ExpectedPause and EnforcedPause", async function () {
      const { registry, guardian, deployer } = await loadFixture(deployRegistryFixture);
      await expect(registry.unpause()).to.be.revertedWithCustomError(registry, "ExpectedPause");
      await expect(registry.connect(guardian).pause()).to.emit(registry, "Paused").withArgs(guardian.address);
      expect(await registry.paused()).to.equal(true);
      await expect(registry.connect(guardian).pause()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await expect(registry.connect(guardian).unpause())
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(guardian.address);
      await expect(registry.unpause()).to.emit(registry, "Unpaused").withArgs(deployer.address);
      expect(await registry.paused()).to.equal(false);
    });

    it("keeps the flag in word 0 of its namespace, which onboarding reads, not in OpenZeppelin's Pausable slot", async function () {
      const { registry, guardian } = await loadFixture(deployRegistryFixture);
      const proxy = await registry.getAddress();
      const word0 = async () => BigInt(await ethers.provider.getStorage(proxy, REGISTRY_STORAGE_LOCATION));
      const before = await word0();
      await registry.connect(guardian).pause();
      // Word 0: credits (160 bits), then `paused` at bit 160.
      expect((await word0()) ^ before).to.equal(1n << 160n);
      expect(await ethers.provider.getStorage(proxy, OZ_PAUSABLE_LOCATION)).to.equal(ZeroHash);
    });

    it("leaves transfers, recipients and decommissions open while paused", async function () {
      const { registry, guardian, alice, bob, tokenIds } = await loadFixture(withDevicesFixture);
      await registry.connect(guardian).pause();
      await registry.connect(alice).transferFrom(alice.address, bob.address, tokenIds[0]);
      await registry.connect(bob).setRewardsRecipient(tokenIds[0], alice.address);
      await registry.connect(bob).decommission(tokenIds[0]);
      expect(await registry.devicesOf(bob.address)).to.equal(1n);
    });

    shouldBehaveLikePausable(async () => {
      const ctx = await loadFixture(withDevicesFixture);
      const { registry, guardian, deployer, stranger, alice, bob, tokenIds } = ctx;
      let nextKey = 100;
      const request = () => requestFor(ctx, deviceKey(nextKey++), alice.address);
      return {
        target: registry,
        pauser: guardian,
        unpauser: deployer,
        stranger,
        stopped: [
          { name: "onboard", send: async () => registry.connect(alice).onboard(await request()) },
          { name: "batchOnboard", send: async () => registry.connect(alice).batchOnboard([await request()]) },
          { name: "assertLocation", send: () => registry.connect(alice).assertLocation(tokenIds[1], CELL) },
        ],
        unaffected: [
          {
            name: "transferFrom",
            send: () => registry.connect(alice).transferFrom(alice.address, bob.address, tokenIds[1]),
          },
          {
            name: "setRewardsRecipient",
            send: () => registry.connect(bob).setRewardsRecipient(tokenIds[1], alice.address),
          },
          { name: "useOnboardingNonce", send: () => registry.connect(stranger).useOnboardingNonce() },
          { name: "guardianSuspend", send: () => registry.connect(guardian).guardianSuspend(tokenIds[2], 1n) },
          { name: "reinstate", send: () => registry.connect(deployer).reinstate(tokenIds[2]) },
          { name: "decommission", send: () => registry.connect(bob).decommission(tokenIds[1]) },
        ],
      };
    });
  });
});
