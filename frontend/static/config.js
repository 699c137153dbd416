// Runtime settings of the dashboard, read before the app starts. Edit this file where the
// dashboard is hosted apart from the API, e.g.
//   window.OPVANG_CONFIG = { apiBase: "https://opvang.heemstede.example" };
// An empty apiBase means "the same origin as this page" (how `opvang serve` hosts it).
window.OPVANG_CONFIG = window.OPVANG_CONFIG || {};
