import { expect } from "chai";
import { azureLocation } from "../../../orchestrator/backend/azure-blob-store";
import { s3Location } from "../../../orchestrator/backend/s3-store";
import { openStores } from "../../../orchestrator/backend/stores";
import { exitCodeFor } from "../../../orchestrator/cli/main";

describe("shared backend URLs, read as Pulumi's DIY backend reads them", () => {
  it("azblob://: the account's endpoint, or an emulator's with the account in the path", () => {
    expect(azureLocation("azblob://state/platform", { AZURE_STORAGE_ACCOUNT: "acme" })).to.deep.equal({ serviceUrl: "https://acme.blob.core.windows.net", container: "state", prefix: "platform" });
    expect(azureLocation("azblob://state?domain=127.0.0.1:10000&protocol=http&localemu=true", { AZURE_STORAGE_ACCOUNT: "dev" }).serviceUrl).to.equal("http://127.0.0.1:10000/dev");
    expect(() => azureLocation("azblob://state", {})).to.throw(/set AZURE_STORAGE_ACCOUNT or add \?storage_account=<name>/);
    expect(() => azureLocation("azblob://state?region=x", { AZURE_STORAGE_ACCOUNT: "a" })).to.throw(/unknown parameter "region"/);
  });

  it("s3://: bucket, prefix, region, endpoint and path style", () => {
    const location = s3Location("s3://state/platform?region=eu-west-1&endpoint=minio.local:9000&disable_https=true&use_path_style=true", {});
    expect(location).to.deep.include({ bucket: "state", prefix: "platform" });
    expect(location.config).to.deep.include({ region: "eu-west-1", endpoint: "http://minio.local:9000", forcePathStyle: true });
    expect(() => s3Location("s3://state?domain=x", {})).to.throw(/unknown parameter "domain"/);
  });

  it("keeps the lock and history in .platform for file://, and asks for a blob store beside Pulumi Cloud", () => {
    expect(openStores({ backendUrl: "file:///tmp/state", dataDir: "/work/.platform", env: {} }).locks.where).to.equal("/work/.platform/locks");
    expect(() => openStores({ backendUrl: "https://api.pulumi.com", dataDir: "/x", env: {} })).to.throw(/set PLATFORM_SHARED_STORE to an azblob:\/\/ or s3:\/\/ URL/);
  });

  it("refuses a backend setting that cannot work as bad input (exit 3), before any lock or engine call", () => {
    const refusals: [string, () => unknown, RegExp][] = [
      ["Pulumi Cloud without a blob store", () => openStores({ backendUrl: "https://api.pulumi.com", dataDir: "/x", env: {} }), /set PLATFORM_SHARED_STORE/],
      ["an unknown scheme", () => openStores({ backendUrl: "gs://bucket", dataDir: "/x", env: {} }), /backend gs:\/\/bucket/],
      ["a lease TTL that is not a number", () => openStores({ backendUrl: "s3://state?region=eu-west-1", dataDir: "/x", env: { PLATFORM_LOCK_TTL_SECONDS: "2m" } }), /PLATFORM_LOCK_TTL_SECONDS=2m/],
      ["an unknown s3:// parameter", () => openStores({ backendUrl: "s3://state?domain=x", dataDir: "/x", env: {} }), /unknown parameter "domain"/],
      ["an azblob:// URL without an account", () => openStores({ backendUrl: "azblob://state", dataDir: "/x", env: {} }), /no storage account/],
      ["azblob:// without credentials", () => openStores({ backendUrl: "azblob://state", dataDir: "/x", env: { AZURE_STORAGE_ACCOUNT: "acme" } }), /needs storage credentials/],
    ];
    for (const [what, open, message] of refusals) {
      let error: unknown;
      try {
        open();
      } catch (thrown) {
        error = thrown;
      }
      expect((error as Error | undefined)?.message, what).to.match(message);
      expect(exitCodeFor(error), what).to.equal(3);
    }
  });
});
