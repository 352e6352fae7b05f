/** One named fault: breaks exactly one catalogue requirement. */
export interface FaultInfo {
  name: string;
  requirement: string;
  description: string;
}
