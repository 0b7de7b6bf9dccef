// The query UI of the endpoint: YASGUI pointed at this server, with nothing fetched from elsewhere
// (no endpoint catalogue, no LOV property/class completion, no share links to external services).
// An absolute URL: YASR parses the endpoint with `new URL(...)`, which fails on "/sparql" and
// then shows no error message at all for a 400, 403 or 503.
const endpoint = new URL("/sparql", window.location.href).href;
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: endpoint, method: "POST" },
  copyEndpointOnNewTab: false,
  showEndpointField: false,
  endpointCatalogueOptions: { getData: () => [] },
  yasqe: {
    autocompleters: ["prefixes", "variables"],
    value: "PREFIX kp: <https://w3id.org/knotenpunkt/def#>\nPREFIX dct: <http://purl.org/dc/terms/>\n\n" +
      "SELECT ?measure ?title WHERE {\n  ?measure a kp:Measure ; dct:title ?title .\n} LIMIT 20",
  },
  yasr: { prefixes: {} },
});
window.knotenpunktYasgui = yasgui;
