// The API console: GraphiQL against this gateway. Every request carries the headers of the
// header editor, where the bearer token goes (`npm run demo -- tokens` prints demo tokens).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: `${window.location.origin}/graphql` });
  var defaultHeaders = JSON.stringify({ authorization: 'Bearer PASTE-A-TOKEN-HERE' }, null, 2);
  var defaultQuery = '# Put your bearer token in the Headers tab below, then run:\n{\n  __typename\n}\n';
  ReactDOM.createRoot(document.getElementById('console')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: defaultHeaders,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
