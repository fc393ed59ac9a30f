import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response (docs/decisions/0043), set by the server
 * around the whole render; empty in the browser, which hides nonces from scripts anyway.
 */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
