export { FrontDoor, ALLOW, type FrontDoorDeps } from './front-door.js';
export { route, type DialplanConfig, type Route } from './dialplan.js';
