/** The id of the `<script>` that loads WeCom's open-data SDK (jwxwork-1.0.0.js) in third-party mode. */
export const OPEN_DATA_SCRIPT_ID = 'wwopen-data-sdk';
