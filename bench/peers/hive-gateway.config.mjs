// Hive Gateway for the benchmark: its defaults, plus passing each subgraph the ready-made
// internal token the load generator sent for it (see bench/workload.ts).
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) => {
      const token = request.headers.get(`x-bench-internal-${subgraphName.toLowerCase()}`);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  },
};
