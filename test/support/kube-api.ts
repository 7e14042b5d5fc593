import * as https from "node:https";

/** A GET against the Kubernetes API, for tests to check what the engine did without kubectl. */
export function kubeGet(server: string, token: string, apiPath: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      `${server}${apiPath}`,
      { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    request.on("error", reject);
  });
}
