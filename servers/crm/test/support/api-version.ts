import {
  DEFAULT_HUBSPOT_API_VERSION,
  HUBSPOT_API_VERSIONS,
  type HubSpotApiVersion,
  hubspotPaths,
} from "../../src/upstream/api-version.js";

// The HubSpot API version the tests run against: the default, or the one named by
// CRM_TEST_HUBSPOT_API_VERSION (`pnpm test` runs the tests that hit paths once per version).

const asked = process.env.CRM_TEST_HUBSPOT_API_VERSION ?? DEFAULT_HUBSPOT_API_VERSION;
if (!(HUBSPOT_API_VERSIONS as readonly string[]).includes(asked)) {
  throw new Error(
    `CRM_TEST_HUBSPOT_API_VERSION=${asked}: expected one of ${HUBSPOT_API_VERSIONS.join(", ")}`,
  );
}

/** The version under test. */
export const API_VERSION = asked as HubSpotApiVersion;

/** Its paths, as the server builds them. */
export const PATHS = hubspotPaths(API_VERSION);
