import { secretVar } from "@gtm-mcp/tool-kit/config";

/** The example server's own variables (besides the common GTM_* ones). */
export const exampleVars = {
  EXAMPLE_API_TOKEN: secretVar({
    description: "A stand-in credential, to show that secrets never reach results or logs",
  }),
};
