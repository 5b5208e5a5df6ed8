export * from "./figure";
export * from "./builders";
export * from "./grids";
export * from "./training";
export * from "./show";
