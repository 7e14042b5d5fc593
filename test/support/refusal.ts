/** The error a run was refused with; fails the test when the run was not refused. */
export async function refusal(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error("the run was not refused");
}
