/** A signed document's check as pages show it (docs/decisions/0072, 0101); trust and revocation evaluated when shown. */
export type SignatureView = {
  format: "cades" | "pades";
  intact: boolean;
  problem: string | null;
  /** Broken; a signer's certificate revoked before it signed; intact but not checked against a trusted authority; verified. */
  verdict: "non_valida" | "revocata" | "non_verificata" | "verificata";
  signers: {
    name: string;
    fiscalCode: string | null;
    signingTime: string | null;
    notBefore: string;
    notAfter: string;
    intact: boolean;
    trusted: boolean;
    timestamp: { time: string; authority: string; intact: boolean } | null;
    revocation: { status: "good" | "revoked" | "unknown"; revokedAt: string | null; listDate: string | null; beforeSigning: boolean };
  }[];
};
