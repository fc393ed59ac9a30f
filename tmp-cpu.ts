import { spawn } from "node:child_process";
import { processCpuMs } from "./test/bench/web";
const c = spawn("sh", ["-c", "yes > /dev/null & sleep 1; kill %1"]);
await new Promise((r) => setTimeout(r, 800));
console.log("cpu ms of sh and its children", processCpuMs(c.pid!));
await new Promise((r) => c.once("exit", r));
