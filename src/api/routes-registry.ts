// The record of a registered route (its own module: the server fills it, the OpenAPI builder reads it).
/** Every route with who may call it, collected as routes register (the route-walk test reads it). */
export interface RegisteredRoute {
  method: string;
  url: string;
  permission: string | null;
  public: boolean;
  dialect: string | null;
  /** Left out of the API documents on purpose (`schema.hide`: the documents themselves). */
  hidden: boolean;
}
