/** What a password must be, in words people read next to the field. */
export const PASSWORD_RULES = "At least 12 characters, and not your email address or name. A few unrelated words make a strong password you can remember.";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

// The handful that length alone does not stop (NIST 800-63B asks to refuse known-breached values).
const COMMON = ["password", "passw0rd", "123456789012", "qwertyuiop", "letmein", "welcome", "restaurant", "iloveyou", "abc123", "admin"];

/** Why a new password is refused, or null if it is acceptable. */
export function passwordProblem(password: string, who: { email?: string | null; name?: string | null }): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters (this one has ${password.length}).`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  const email = who.email?.toLowerCase().trim();
  const local = email?.split("@")[0] ?? "";
  if (email && (lower.includes(email) || (local.length >= 4 && lower.includes(local)))) return "Do not use your email address in your password.";
  const name = who.name?.toLowerCase().trim() ?? "";
  if (name.length >= 4 && lower.replace(/\s/g, "").includes(name.replace(/\s/g, ""))) return "Do not use your name in your password.";
  if (new Set(lower).size < 5) return "Use more different characters: this one repeats too few.";
  if (/^\d+$/.test(password)) return "Use letters too: a password of digits only is easy to guess.";
  // A common word with digits around it ("password123456") is still a common password.
  const stripped = COMMON.reduce((rest, word) => rest.replaceAll(word, ""), lower);
  if (stripped.length < 8 || (stripped !== lower && /^[\d\W_]*$/.test(stripped))) return "That password is too common. Try a few unrelated words.";
  return null;
}
