using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Api.Auth;

internal static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer for every endpoint but health. Outside Development a missing or unusable Auth
    /// section stops start-up with a message that says what to set.
    /// </summary>
    public static IServiceCollection AddOrchRunAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .Validate<IHostEnvironment>(
                (auth, environment) => environment.IsDevelopment() || auth.SigningKey != AuthOptions.DevelopmentSigningKey,
                AuthOptions.DevelopmentKeyOutsideDevelopment)
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, ClaimsCurrentUser>();
        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Audience = options.Audience;
                if (options.UsesExternalProvider)
                {
                    jwt.Authority = options.Authority;
                    jwt.TokenValidationParameters.ValidateIssuer = true;
                }
                else
                {
                    jwt.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = options.Issuer,
                        ValidAudience = options.Audience,
                        IssuerSigningKey = DevelopmentTokenIssuer.SigningKeyOf(options),
                        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                        ClockSkew = TimeSpan.FromSeconds(30),
                    };
                }

                jwt.TokenValidationParameters.NameClaimType = "sub";
                jwt.TokenValidationParameters.RequireExpirationTime = true;
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = BearerRejection.RefuseUnstorableSubject,
                    OnChallenge = BearerRejection.WriteProblemAsync,
                };
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("sub").Build());
        return services;
    }
}
