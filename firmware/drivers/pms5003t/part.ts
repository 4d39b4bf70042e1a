// The PMS5003T (PM + temperature + humidity) as the node runtime opens it: the PMS5003 part with its layout.
import { pmsPart } from '../pms5003/part.js';
import { pms5003t } from './definition.js';

export const pms5003tPart = pmsPart('pms5003t', pms5003t);
