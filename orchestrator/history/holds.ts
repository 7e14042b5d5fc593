import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentHolds, Hold } from "../model/hold";

/** Holds of a file:// checkout: one owner-only file per held environment in `.platform/history/holds/`. */
export function fileHolds(historyDir: string): EnvironmentHolds {
  const dir = path.join(historyDir, "holds");
  const file = (env: string) => path.join(dir, `${env}.json`);
  const read = async (env: string): Promise<Hold | undefined> => (fs.existsSync(file(env)) ? (JSON.parse(fs.readFileSync(file(env), "utf8")) as Hold) : undefined);
  return {
    where: dir,
    read,
    place: async (hold) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file(hold.env), `${JSON.stringify(hold)}\n`, { mode: 0o600 });
    },
    release: async (env) => {
      const hold = await read(env);
      fs.rmSync(file(env), { force: true });
      return hold;
    },
  };
}
