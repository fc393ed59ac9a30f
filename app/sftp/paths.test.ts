import { describe, expect, it } from "vitest";
import { resolveSftpPath } from "./paths";

describe("SFTP paths", () => {
  it("resolve the fixed folders and files in them", () => {
    expect(resolveSftpPath(".")).toEqual({ kind: "dir", dir: "/" });
    expect(resolveSftpPath("/in/")).toEqual({ kind: "dir", dir: "/in" });
    expect(resolveSftpPath("out/./esiti")).toEqual({ kind: "dir", dir: "/out/esiti" });
    expect(resolveSftpPath("/in/flusso-2026_11.txt")).toEqual({ kind: "file", dir: "/in", name: "flusso-2026_11.txt" });
  });

  it("refuse traversal, control characters, other folders and odd names", () => {
    expect(resolveSftpPath("/in/../etc/passwd")).toMatchObject({ reason: "traversal" });
    expect(resolveSftpPath("../x")).toMatchObject({ reason: "traversal" });
    expect(resolveSftpPath("/in/a\u0000b.txt")).toMatchObject({ reason: "control_character" });
    expect(resolveSftpPath("/in/a\nb.txt")).toMatchObject({ reason: "control_character" });
    expect(resolveSftpPath("/etc/passwd")).toMatchObject({ reason: "outside" });
    expect(resolveSftpPath("/file.txt")).toMatchObject({ reason: "outside" });
    expect(resolveSftpPath("/in/sub/file.txt")).toMatchObject({ reason: "outside" });
    expect(resolveSftpPath("/in/.hidden")).toMatchObject({ reason: "name" });
    expect(resolveSftpPath("/in/con spazio.txt")).toMatchObject({ reason: "name" });
  });
});
