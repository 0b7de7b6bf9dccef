// The query UI of the endpoint: YASGUI pointed at this server, with nothing fetched from elsewhere
// (no endpoint catalogue, no LOV property/class completion, no share links to external services).
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: "/sparql", method: "POST" },
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
