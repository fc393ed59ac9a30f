/** A signed document's check as pages show it (docs/decisions/0072); trust evaluated when shown. */
export type SignatureView = {
  format: "cades" | "pades";
  intact: boolean;
  problem: string | null;
  /** Broken; intact but its certificate not checked against a trusted authority; verified. */
  verdict: "non_valida" | "non_verificata" | "verificata";
  signers: { name: string; fiscalCode: string | null; signingTime: string | null; notBefore: string; notAfter: string; intact: boolean; trusted: boolean }[];
};
