// A leaf module: the refusal to start that any layer may raise (a tool declaration the
// configuration cannot satisfy, a credential of the wrong account) and the bootstrap prints.

/**
 * A server refusing to start after its configuration parsed: the credential belongs to
 * another account than the environment expects, for example. Printed as one line; exit 2.
 */
export class StartupError extends Error {
  override readonly name = "StartupError";
}
