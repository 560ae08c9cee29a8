/** Orders HubSpot record ids (digits) larger first: HubSpot assigns larger ids to newer records. */
export function compareIdsDescending(a: string, b: string): number {
  return b.length - a.length || (a < b ? 1 : a > b ? -1 : 0);
}
