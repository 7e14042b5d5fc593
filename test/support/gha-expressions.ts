/**
 * A small evaluator for the GitHub Actions expressions the emitted workflows use: contexts
 * (`needs.plan.outputs.changed`, `needs.*.result`, `vars.X`), literals, `!`, `&&`, `||`, `==`,
 * `!=`, parentheses, and the functions always/cancelled/success/failure/contains/fromJSON.
 * Unknown syntax throws, so a workflow using more than this fails its test instead of passing.
 */
export interface ExpressionContext {
  readonly contexts: Readonly<Record<string, unknown>>;
  /** Results of the job's needs, for success()/failure(). */
  readonly needResults: readonly string[];
  readonly cancelled: boolean;
}

type Token = { kind: "op" | "str" | "num" | "id"; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(&&|\|\||==|!=|[!().,*\[\]])|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_-]*))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new Error(`cannot parse expression at "${text.slice(index)}"`);
    index = pattern.lastIndex;
    if (match[1]) tokens.push({ kind: "op", text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: "str", text: match[2].replace(/''/g, "'") });
    else if (match[3]) tokens.push({ kind: "num", text: match[3] });
    else tokens.push({ kind: "id", text: match[4]! });
  }
  return tokens;
}

export function evaluate(expression: string, context: ExpressionContext): unknown {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const take = (text?: string) => {
    const token = tokens[position++];
    if (!token || (text !== undefined && token.text !== text)) throw new Error(`expected ${text ?? "a token"} in "${expression}"`);
    return token;
  };
  const truthy = (value: unknown) => value !== null && value !== undefined && value !== false && value !== 0 && value !== "";

  const or = (): unknown => {
    let left = and();
    while (peek()?.text === "||") (take(), (left = truthy(left) ? left : and()));
    return left;
  };
  const and = (): unknown => {
    let left = equality();
    while (peek()?.text === "&&") {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): unknown => {
    const left = unary();
    const op = peek()?.text;
    if (op === "==" || op === "!=") {
      take();
      const right = unary();
      const equal = String(left).toLowerCase() === String(right).toLowerCase();
      return op === "==" ? equal : !equal;
    }
    return left;
  };
  const unary = (): unknown => (peek()?.text === "!" ? (take(), !truthy(unary())) : primary());
  const primary = (): unknown => {
    const token = take();
    if (token.text === "(" && token.kind === "op") {
      const value = or();
      take(")");
      return value;
    }
    if (token.kind === "str") return token.text;
    if (token.kind === "num") return Number(token.text);
    if (token.kind !== "id") throw new Error(`unexpected "${token.text}" in "${expression}"`);
    if (token.text === "true" || token.text === "false") return token.text === "true";
    if (peek()?.text === "(") return call(token.text);
    return path(context.contexts[token.text]);
  };
  const path = (start: unknown): unknown => {
    let value: unknown = start;
    while (peek()?.text === ".") {
      take();
      const next = take();
      if (next.text === "*") value = Object.values((value ?? {}) as Record<string, unknown>);
      else value = Array.isArray(value) ? value.map((item) => (item as Record<string, unknown>)?.[next.text]) : (value as Record<string, unknown> | undefined)?.[next.text];
    }
    return value;
  };
  const call = (name: string): unknown => {
    take("(");
    const args: unknown[] = [];
    while (peek()?.text !== ")") {
      args.push(or());
      if (peek()?.text === ",") take(",");
    }
    take(")");
    switch (name) {
      case "always":
        return true;
      case "cancelled":
        return context.cancelled;
      case "success":
        return !context.cancelled && context.needResults.every((r) => r === "success" || r === "skipped");
      case "failure":
        return context.needResults.includes("failure");
      case "fromJSON":
        return JSON.parse(String(args[0]));
      case "contains":
        return Array.isArray(args[0]) ? args[0].some((item) => String(item).toLowerCase() === String(args[1]).toLowerCase()) : String(args[0]).toLowerCase().includes(String(args[1]).toLowerCase());
      default:
        throw new Error(`function ${name}() is not supported by this evaluator`);
    }
  };
  const value = or();
  if (position !== tokens.length) throw new Error(`trailing tokens in "${expression}"`);
  return value;
}

/** Replaces every `${{ ... }}` in a string with its value. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_all, inner: string) => {
    const value = evaluate(inner, context);
    return value === undefined || value === null ? "" : String(value);
  });
}

/** A job's `if:`, with or without `${{ }}`; no `if:` means success(). */
export function jobCondition(condition: string | undefined, context: ExpressionContext): boolean {
  if (condition === undefined) return Boolean(evaluate("success()", context));
  const inner = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return Boolean(evaluate(inner, context));
}
