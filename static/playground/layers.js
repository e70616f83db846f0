// The diagram's layers, left to right, and the one client box every room has. Kinds
// (scene.js and its kind modules) put their boxes in a layer; ELK keeps the order.

export const LAYERS = { clients: 0, gateways: 1, routes: 2, services: 3, endpoints: 4, nodes: 5, outside: 6, policies: 7 };
export const HOST = "client:host";
