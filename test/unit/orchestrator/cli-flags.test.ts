import { expect } from "chai";
import { runCli } from "../../support/run-cli";

// Every case here is refused while the arguments are parsed: no environment is loaded, no lock taken, no engine started.
describe("CLI flags: bad input is refused up front with exit 3", () => {
  const refused: [string, string[], RegExp][] = [
    ["--parallel 0", ["up", "--env", "dev", "--parallel", "0"], /--parallel <n>' argument '0' is invalid\. expected a whole number of at least 1, such as 4/],
    ["a negative --parallel", ["preview", "--env", "dev", "--parallel", "-2"], /--parallel <n>' argument '-2' is invalid/],
    ["a fractional --parallel", ["refresh", "--env", "dev", "--parallel", "1.5"], /argument '1\.5' is invalid\. expected a whole number/],
    ["a --parallel that is not a number", ["destroy", "--env", "dev", "--parallel", "four"], /argument 'four' is invalid/],
    ["a --retries that is not a number", ["up", "--env", "dev", "--retries", "x"], /--retries <n>' argument 'x' is invalid\. expected a whole number of at least 0, such as 2/],
    ["a --retry-on that is not a regular expression", ["up", "--env", "dev", "--retry-on", "("], /--retry-on <regex>' argument '\(' is invalid\. not a valid regular expression .*Unterminated group.*such as "rate limit\|429"/],
    ["an unknown flag", ["up", "--env", "dev", "--bogus"], /unknown option '--bogus'\nvalid options for up: -e, --env <name>; .*--parallel <n>/],
    ["a missing --env", ["preview"], /required option '-e, --env <name>' not specified\nvalid options for preview/],
    ["an --env that does not exist", ["up", "--env", "nope"], /--env <name>' argument 'nope' is invalid\. no environment "nope"; available: dev/],
    ["an --env that is a path", ["preview", "--env", "../Pulumi"], /argument '\.\.\/Pulumi' is invalid\. "\.\.\/Pulumi" is not an environment name/],
    ["an --env of graph that does not exist", ["graph", "--env", "nope"], /--env <name>' argument 'nope' is invalid/],
    ["a history --env that does not exist", ["history", "--env", "nope"], /argument 'nope' is invalid\. no environment "nope"/],
    ["a drift --parallel of 0", ["drift", "--env", "dev", "--parallel", "0"], /--parallel <n>' argument '0' is invalid/],
    ["a promote source that does not exist", ["promote", "nope", "dev"], /value 'nope' is invalid for argument 'source'\. no environment "nope"/],
    ["a promote --verify-timeout of 0", ["promote", "dev", "staging", "--verify-timeout", "0"], /--verify-timeout <seconds>' argument '0' is invalid/],
    ["an empty --layers", ["destroy", "--env", "dev", "--layers", ","], /--layers <list>' argument ',' is invalid\. names no layer; name one or more of foundation/],
    ["an empty --layers after a good one", ["up", "--env", "dev", "--layers", "ingress", "--layers", " "], /argument ' ' is invalid\. names no layer/],
    ["an unknown layer in --layers", ["preview", "--env", "dev", "--layers", "ingress,storage"], /argument 'ingress,storage' is invalid\. unknown layer "storage"; layers are foundation/],
    ["an empty --layers of promote", ["promote", "dev", "staging", "--layers", ","], /names no layer/],
    ["an empty --layers of drift", ["drift", "--env", "dev", "--layers", ""], /names no layer/],
    ["a history --limit of 0", ["history", "--limit", "0"], /--limit <n>' argument '0' is invalid/],
  ];
  for (const [what, argv, message] of refused) {
    it(`refuses ${what}, saying what is valid`, async () => {
      const result = await runCli(argv);
      expect(result.code, result.stderr).to.equal(3);
      expect(result.stderr).to.match(message);
      expect(result.stdout).to.equal("");
    });
  }

  describe("confirmations where no terminal can ask (destroy --purge-crds, promote --approve)", () => {
    let savedCi: string | undefined;
    before(() => {
      // No terminal can confirm: as in CI.
      savedCi = process.env.CI;
      process.env.CI = "true";
    });
    after(() => {
      if (savedCi === undefined) delete process.env.CI;
      else process.env.CI = savedCi;
    });
    const purge: [string, string[], RegExp][] = [
      ["--purge-crds without --yes where no terminal can confirm", ["destroy", "--env", "dev", "--purge-crds"], /--purge-crds deletes CRDs and every custom resource of them, and no terminal can confirm it here: add --yes to confirm; nothing was run/],
      ["--purge-crds with --layers", ["destroy", "--env", "dev", "--layers", "mesh", "--purge-crds", "--yes"], /--purge-crds runs only after a destroy of every stack; drop --layers/],
      ["--yes without --purge-crds", ["destroy", "--env", "dev", "--yes"], /--yes confirms --purge-crds and means nothing without it/],
      ["--purge-crds on up", ["up", "--env", "dev", "--purge-crds"], /unknown option '--purge-crds'/],
      ["promote --approve without --approver where no terminal can ask", ["promote", "dev", "staging", "--approve"], /--approve needs --approver <identity> where no terminal can ask \(CI\): the approver is recorded with the promotion; nothing was run/],
    ];
    for (const [what, argv, message] of purge) {
      it(`refuses ${what} with exit 3, before anything runs`, async () => {
        const result = await runCli(argv);
        expect(result.code, result.stderr).to.equal(3);
        expect(result.stderr).to.match(message);
        expect(result.stdout).to.equal("");
      });
    }
  });

  it("still exits 0 for --help", async () => {
    const result = await runCli(["up", "--help"]);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/--parallel <n>/);
  });
});
