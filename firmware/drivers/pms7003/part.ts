// The PMS7003 as the node runtime opens it: the PMS5003 part with the PMS5003 frame layout. The runtime tags
// readings with the station file's `part:` key, which the registry matches against definition.id ('pms7003');
// the first argument only picks the frame layout.
import { pmsPart } from '../pms5003/part.js';
import { pms7003Definition } from './definition.js';

export const pms7003Part = pmsPart('pms5003', pms7003Definition);
