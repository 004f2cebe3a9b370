/**
 * Ribbon commands bundle.
 *
 * The Home-tab button ("IMC Analytics" group) uses the declarative ShowTaskpane action, so there is
 * no function command to register yet. The bundle still waits for Office so that future commands
 * (`Office.actions.associate`) have a place; it deliberately calls no Outlook-only API (a bug in
 * Microsoft's template).
 */

import { whenOfficeReady } from "../excel/office";

void whenOfficeReady();
