import bench from "./bench/ops/staking";
bench().then((rows) => console.log(JSON.stringify(rows.map((r) => [r.op, Number(r.gas)])))).catch((e) => { console.error(e); process.exitCode = 1; });
